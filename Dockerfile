# Spillway container image: `spillway task` by default, for Cloud Run Jobs, Kubernetes and AWS Batch.
#   docker build -t IMAGE .        or        gcloud builds submit --tag IMAGE
# Plain Dockerfile syntax (no BuildKit-only features), so both builders take it as it is.
#
# Build arguments, for machines without a registry or without Maven Central (e2e/run uses them all):
#   BUILD_IMAGE, RUNTIME_IMAGE   the two base images (a runtime base needs java on PATH, glibc, groupadd)
#   JAR=prebuilt                 package the jar built on the host instead of building it: the context
#                                must hold prebuilt/spillway.jar (a copy of target/'s, which holds every dependency)
#                                and target/'s libduckdb_java.so_linux_* (DuckDB's native libraries, kept beside it)
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
ARG JAR=build
WORKDIR /src
# Dependencies first: this layer is rebuilt only when pom.xml changes.
COPY pom.xml .
RUN if [ "$JAR" = build ]; then mvn -q -B dependency:go-offline; fi
COPY src ./src
# prebuilt/ is in the context only for JAR=prebuilt; the pattern matches nothing otherwise
COPY pom.xml prebuil[t] /src/prebuilt/
RUN if [ "$JAR" = build ]; then mvn -q -B package -DskipTests; \
    elif [ "$JAR" = prebuilt ] && [ -f prebuilt/spillway.jar ]; then \
      mkdir -p target && mv prebuilt/spillway.jar prebuilt/libduckdb_java.so_* target/; \
    else echo "JAR=$JAR: use build, or prebuilt with prebuilt/spillway.jar in the context" >&2; exit 1; fi
# DuckDB's native library for this machine goes beside the jar, where the driver loads it without unpacking it
RUN mkdir /out && cp target/spillway.jar /out/ \
 && case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac \
 && cp "target/libduckdb_java.so_linux_$arch" /out/

# A glibc-based JRE (by default Ubuntu's, from Temurin): DuckDB's native library does not load on musl (Alpine).
FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 spillway \
 && useradd --system --uid 10001 --gid spillway --home-dir /home/spillway --create-home --shell /usr/sbin/nologin spillway
WORKDIR /opt/spillway
# one jar with every dependency: a class-path lookup opens one file, not 170 (docs/engines.md, start-up);
# DuckDB's native library beside it
COPY --from=build /out/ ./
# Class data sharing, as the spillway launcher does on a workstation: a task run here once, on a small
# embedded table into a folder, lists the classes a task loads; they are archived, parsed and verified,
# and every task maps them instead of loading them from the jars (docs/engines.md, start-up).
RUN mkdir /tmp/cds \
 && java -cp /opt/spillway/spillway.jar io.spillway.cli.Main demo --dir /tmp/cds --tasks 1 --scale 0.01 > /dev/null \
 && java -XX:DumpLoadedClassList=/tmp/cds/classes -cp /opt/spillway/spillway.jar io.spillway.cli.Main task --log-format json \
      --source duckdb:/tmp/cds/warehouse.duckdb --dest /tmp/cds/out --tasks 1 --task-index 0 --execution cds > /dev/null \
 && java -Xshare:dump -XX:SharedClassListFile=/tmp/cds/classes -XX:SharedArchiveFile=/opt/spillway/spillway.jsa \
      -cp /opt/spillway/spillway.jar > /dev/null \
 && rm -rf /tmp/cds
# Numeric, so that Kubernetes can check runAsNonRoot without resolving the name.
USER 10001:10001
# Heap from the container's memory limit; an out-of-memory JVM exits (and is retried) instead of limping on.
# The compilers wait for code that stays hot longer than by default (see the spillway launcher). The JVM's
# own warnings (an archive that does not fit) go to stderr: under an engine, stdout carries JSON logs. The main
# class is named (-cp), not read from the jar's manifest (-jar), which would read the jar's directory twice.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/spillway/spillway.jsa", "-Xlog:disable", "-Xlog:all=warning:stderr", \
    "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
    "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", \
    "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=120000", \
    "-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000", \
    "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000", \
    "-cp", "/opt/spillway/spillway.jar", "io.spillway.cli.Main"]
CMD ["task"]
