# Sourced by the benchmarks that write to S3: start_s3proxy WORK starts S3Proxy on a free loopback port,
# objects on disk under WORK/s3 (bucket "bench"), with the test classpath in WORK/cp.txt
# (mvn dependency:build-classpath -Dmdep.includeScope=test); sets S3PROXY_PORT and S3PROXY_PID and the
# AWS_* variables of its key. The caller kills S3PROXY_PID.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_s3proxy() {
  local work=$1
  S3PROXY_PORT=$(free_port)
  mkdir -p "$work/s3/bench"
  cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$S3PROXY_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-key
s3proxy.credential=bench-secret-value
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
CONF
  java -Xmx1g -cp "target/classes:$(cat "$work/cp.txt")" org.gaul.s3proxy.Main --properties "$work/s3proxy.conf" \
    > "$work/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  for _ in $(seq 1 100); do
    (echo > "/dev/tcp/127.0.0.1/$S3PROXY_PORT") 2>/dev/null && break
    sleep 0.2
  done
  export AWS_ACCESS_KEY_ID=bench-key AWS_SECRET_ACCESS_KEY=bench-secret-value AWS_REGION=us-east-1
}
