#!/usr/bin/env bash
# A Spark standalone cluster on this machine for ./cxr spark-* --master spark://127.0.0.1:7077: one master and N
# workers, loopback only, from the Spark jars the Spark job was built with (spark/job/target/spark-lib).
#   environment/spark-cluster.sh start [--workers N] [--cores C] [--memory M]   (defaults 2 workers, 1 core, 4g each)
#   environment/spark-cluster.sh status
#   environment/spark-cluster.sh stop
# State (pids, logs, worker dirs) in ${CXR_SPARK_CLUSTER_DIR:-/tmp/cxr-spark-cluster}. Only the processes this script
# started (by their pid files) are stopped.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CXR_SPARK_CLUSTER_DIR:-/tmp/cxr-spark-cluster}"
PORT="${CXR_SPARK_PORT:-7077}"
UI_PORT="${CXR_SPARK_UI_PORT:-8080}"
HOST=127.0.0.1
LIB="$REPO/spark/job/target/spark-lib"
WORKERS=2 CORES=1 MEMORY=4g

log() { echo "[spark-cluster] $*"; }

# Spark's worker builds each executor's command from SPARK_HOME/jars (a release layout): a home whose jars/ is the
# job's spark-lib, so executors get the same Spark version as the driver.
spark_home() {
    local home="$DIR/spark-home"
    mkdir -p "$home"
    ln -sfn "$LIB" "$home/jars"
    echo "Spark $(ls "$LIB" | sed -n 's/^spark-core_2.12-\(.*\)\.jar$/\1/p') (jars of the cxr Spark job)" > "$home/RELEASE"
    echo "$home"
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# workers the master lists as ALIVE (0 while its web UI does not answer); one number, whatever curl and grep return
alive_workers() {
    { curl -s --max-time 2 "http://$HOST:$UI_PORT/json/" 2>/dev/null || true; } | grep -o '"state" *: *"ALIVE"' | wc -l || true
}

start() {
    if [ ! -d "$LIB" ]; then
        log "building the Spark job first (./cxr spark-predict --help)"
        "$REPO/cxr" spark-predict --help > /dev/null
    fi
    mkdir -p "$DIR/pids" "$DIR/logs" "$DIR/work"
    if running "$DIR/pids/master.pid"; then
        log "a master started by this script is already running (pid $(cat "$DIR/pids/master.pid")): stop it first"; exit 1
    fi
    export SPARK_HOME; SPARK_HOME="$(spark_home)"
    export SPARK_LOCAL_IP=$HOST SPARK_SCALA_VERSION=2.12
    local java=(java @"$REPO/spark/jvm.args" -Xmx512m -cp "$LIB/*")
    nohup "${java[@]}" org.apache.spark.deploy.master.Master --host $HOST --port "$PORT" --webui-port "$UI_PORT" \
        > "$DIR/logs/master.log" 2>&1 &
    echo $! > "$DIR/pids/master.pid"
    local waited=0
    until (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; do
        sleep 1; waited=$((waited + 1))
        if [ $waited -ge 60 ] || ! running "$DIR/pids/master.pid"; then
            log "the master did not open $HOST:$PORT within ${waited} s; see $DIR/logs/master.log"; stop; exit 1
        fi
    done
    for i in $(seq 1 "$WORKERS"); do
        mkdir -p "$DIR/work/worker-$i"
        nohup "${java[@]}" org.apache.spark.deploy.worker.Worker --host $HOST --cores "$CORES" --memory "$MEMORY" \
            --webui-port $((UI_PORT + i)) --work-dir "$DIR/work/worker-$i" "spark://$HOST:$PORT" \
            > "$DIR/logs/worker-$i.log" 2>&1 &
        echo $! > "$DIR/pids/worker-$i.pid"
    done
    waited=0
    until [ "$(alive_workers)" -ge "$WORKERS" ]; do
        sleep 1; waited=$((waited + 1))
        if [ $waited -ge 90 ]; then
            log "only $(alive_workers) of $WORKERS workers registered within 90 s; see $DIR/logs/"; stop; exit 1
        fi
    done
    log "master spark://$HOST:$PORT (web UI http://$HOST:$UI_PORT) with $WORKERS worker(s) of $CORES core(s) and $MEMORY"
}

stop() {
    local f
    shopt -s nullglob
    for f in "$DIR"/pids/worker-*.pid "$DIR/pids/master.pid"; do
        if running "$f"; then
            kill "$(cat "$f")" 2>/dev/null || true
            for _ in $(seq 1 20); do running "$f" || break; sleep 0.5; done
            running "$f" && kill -9 "$(cat "$f")" 2>/dev/null || true
            log "stopped $(basename "$f" .pid) (pid $(cat "$f"))"
        fi
        rm -f "$f"
    done
}

status() {
    local f
    shopt -s nullglob
    for f in "$DIR/pids/master.pid" "$DIR"/pids/worker-*.pid; do
        if running "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid): not running"; fi
    done
    echo "alive workers at the master: $(alive_workers)"
}

cmd="${1:-}"; shift || true
while [ $# -gt 0 ]; do
    case "$1" in
        --workers) WORKERS="$2"; shift 2 ;;
        --cores) CORES="$2"; shift 2 ;;
        --memory) MEMORY="$2"; shift 2 ;;
        *) echo "spark-cluster.sh: unknown option $1 (--workers N, --cores C, --memory M)" >&2; exit 2 ;;
    esac
done
case "$cmd" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
