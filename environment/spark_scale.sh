#!/usr/bin/env bash
# The Spark scale measurement of the README ("Beyond one machine: Apache Spark"): the frozen base's features of one
# phantom archive computed (a) on the single-machine path (stage 0 of ./cxr train), (b) by ./cxr spark-features on
# embedded local[2], (c) by ./cxr spark-features on a standalone cluster of one master and two 1-core workers on this
# machine (environment/spark-cluster.sh, stopped at the end). Each run prints its own figures as JSON (images/s,
# decode / forward / write seconds from the job's counters) into OUT/*.json.
#   environment/spark_scale.sh --archive DIR [--films 3000] [--film-size 256] [--size 128] [--out DIR]
#                              [--single-threads N]   (OMP threads of the single-machine path; default: ND4J's own)
# Run it on an otherwise idle machine (flock /tmp/cxr-heavy.lock environment/spark_scale.sh ...). The Spark runs use
# OMP_NUM_THREADS=1 per task thread (two task threads on two cores); the single-machine path keeps its default threads.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCHIVE="" FILMS=3000 FILM_SIZE=256 SIZE=128 OUT=/tmp/cxr-spark-scale SINGLE_THREADS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --archive) ARCHIVE="$2"; shift 2 ;;
        --films) FILMS="$2"; shift 2 ;;
        --film-size) FILM_SIZE="$2"; shift 2 ;;
        --size) SIZE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --single-threads) SINGLE_THREADS="$2"; shift 2 ;;
        *) echo "spark_scale.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$ARCHIVE" ] || { echo "spark_scale.sh: --archive DIR is required" >&2; exit 2; }
BASE="$REPO/data/weights/densenet121-phantom-base.zip"
mkdir -p "$OUT"
log() { echo "[spark-scale $(date -u +%H:%M:%S)] $*"; }

cd "$REPO"
if [ ! -f "$ARCHIVE/Data_Entry_2017_v2020.csv" ]; then
    log "phantom archive: $FILMS films at ${FILM_SIZE}² -> $ARCHIVE"
    /usr/bin/time -f "%e s" ./cxr phantom --out "$ARCHIVE" --images "$FILMS" --size "$FILM_SIZE" --seed 7 --quiet > /dev/null
fi
./cxr spark-features --help > /dev/null   # builds the Spark job now, not inside a timed run
CP="$REPO/target/classes:$REPO/spark/job/target/classes:$REPO/spark/job/target/spark-lib/*"
JAVA=(java @"$REPO/spark/jvm.args" -Xmx8g -Djava.awt.headless=true -Dorg.eclipse.deeplearning4j.helpers.disable=false)

log "(a) single machine: stage 0 of ./cxr train (StagedTraining.features), OMP threads ${SINGLE_THREADS:-default}"
rm -rf "$OUT/work-single"
single_env=(env -u OMP_NUM_THREADS)
[ -n "$SINGLE_THREADS" ] && single_env+=("OMP_NUM_THREADS=$SINGLE_THREADS")
"${single_env[@]}" "${JAVA[@]}" -cp "$CP" org.cxrworkbook.spark.SingleMachineBaseline features "$ARCHIVE" "$BASE" "$OUT/work-single" "$SIZE" \
    > "$OUT/a-single.json" 2> "$OUT/a-single.log"
cat "$OUT/a-single.json"

log "(b) ./cxr spark-features --master local[2], OMP_NUM_THREADS=1"
rm -rf "$OUT/work-local2"
OMP_NUM_THREADS=1 ./cxr spark-features --master 'local[2]' --data "$ARCHIVE" --base "$BASE" --out "$OUT/work-local2" \
    --size "$SIZE" --json > "$OUT/b-local2.json" 2> "$OUT/b-local2.log"
cat "$OUT/b-local2.json"

log "(c) standalone cluster: one master, two workers of 1 core (OMP_NUM_THREADS=1 in their executors)"
rm -rf "$OUT/work-cluster"
export OMP_NUM_THREADS=1
status=0
if environment/spark-cluster.sh start --workers 2 --cores 1 --memory 4g > "$OUT/c-cluster-start.log" 2>&1; then
    ./cxr spark-features --master spark://127.0.0.1:7077 --data "$ARCHIVE" --base "$BASE" --out "$OUT/work-cluster" \
        --size "$SIZE" --json > "$OUT/c-cluster.json" 2> "$OUT/c-cluster.log" || status=$?
    cat "$OUT/c-cluster.json"
else
    status=$?
    log "the cluster did not start:"; cat "$OUT/c-cluster-start.log"
fi
environment/spark-cluster.sh stop
unset OMP_NUM_THREADS
log "cache keys (equal = the three runs wrote the same cache):"
for w in single local2 cluster; do
    printf '  %-8s %s\n' "$w" "$(grep -o '"key_sha256" : "[0-9a-f]*"' "$OUT/work-$w/feature-cache/manifest.json" 2>/dev/null || echo none)"
done
exit "$status"
