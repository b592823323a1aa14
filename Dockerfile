# Spillway container image: `spillway task` by default, for Cloud Run Jobs, Kubernetes and AWS Batch.
#   docker build -t IMAGE .        or        gcloud builds submit --tag IMAGE
# Plain Dockerfile syntax (no BuildKit-only features), so both builders take it as it is.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first: this layer is rebuilt only when pom.xml changes.
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src ./src
RUN mvn -q -B package -DskipTests

# Ubuntu-based JRE (glibc): DuckDB's native library does not load on musl (Alpine).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 spillway \
 && useradd --system --uid 10001 --gid spillway --home-dir /home/spillway --create-home --shell /usr/sbin/nologin spillway
WORKDIR /opt/spillway
COPY --from=build /src/target/lib/ ./lib/
COPY --from=build /src/target/spillway.jar ./spillway.jar
# Numeric, so that Kubernetes can check runAsNonRoot without resolving the name.
USER 10001:10001
# Heap from the container's memory limit; an out-of-memory JVM exits (and is retried) instead of limping on.
# The compilers wait for code that stays hot longer than by default (see the spillway launcher).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
    "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000", \
    "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=120000", \
    "-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000", \
    "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000", \
    "-jar", "/opt/spillway/spillway.jar"]
CMD ["task"]
