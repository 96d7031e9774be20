#!/usr/bin/env python3
"""Where a flight recording's CPU went: the JDK 17 `jfr` tool has no `view hot-methods`, so this aggregates
`jfr print` output itself.

    bench/jfr-hot.py FILE.jfr [TOP]        (TOP rows per table, default 15)

Prints, from the jdk.ExecutionSample events (Java code on a CPU; GC and JIT threads are not sampled):
- the share of samples per thread (thread names with their numbers replaced by #, so the parallel instances of a
  task or a broker's handler pool count as one),
- the share per component: each sample goes to the first frame from the top of its stack whose class belongs to a
  component below (decoding, matching, Flink's network stack, the Kafka consumer, the broker's log...), else to
  the top frame's package; and for the five biggest, the methods through which they were entered,
- the top frames (self time) overall, and the top frames of each of the busiest threads;
and from other events: the process's and the machine's CPU load (jdk.CPULoad), the garbage collections
(jdk.GarbageCollection: count, total pause) and the JIT compilations long enough to be recorded (jdk.Compilation:
over 100 ms with settings=profile).
"""
import re
import subprocess
import sys
from collections import Counter, defaultdict

# (class-name prefix, component), searched in this order at each frame, from the top of the stack down.
COMPONENTS = [
    ("java.lang.ClassLoader.", "class loading (start-up)"),
    ("org.tiktokdetector.flink.DecodedLineType", "DecodedLineType: decoded lines (de)serialised across the channel"),
    ("org.tiktokdetector.decode.", "decoding (JSON scan, dialects, ts)"),
    ("org.tiktokdetector.match.", "matching (blocklist)"),
    ("org.tiktokdetector.aggregate.", "attribution and windows"),
    ("org.tiktokdetector.records.", "records (hits, JSON out)"),
    ("org.tiktokdetector.source.", "Kafka record -> decoded line (KafkaInputs)"),
    ("org.tiktokdetector.emit.", "output records to Kafka"),
    ("org.tiktokdetector.", "other tiktok-detector code"),
    ("org.apache.kafka.common.record.", "Kafka record batches (iterate, CRC, decompress)"),
    ("org.apache.kafka.common.compress.", "Kafka record batches (iterate, CRC, decompress)"),
    ("org.apache.kafka.clients.consumer.", "Kafka consumer (fetch, parse)"),
    ("org.apache.kafka.clients.producer.", "Kafka producer (sinks)"),
    ("org.apache.kafka.storage.", "broker: log (append, read, index)"),
    ("kafka.log.", "broker: log (append, read, index)"),
    ("org.apache.kafka.raft.", "broker: KRaft"),
    ("kafka.network.", "broker: network (requests, responses)"),
    ("kafka.server.", "broker: request handling (produce, fetch, transactions)"),
    ("org.apache.kafka.coordinator.", "broker: group and transaction coordinators"),
    ("org.apache.kafka.server.", "broker: server"),
    ("org.apache.kafka.common.network.", "Kafka network (sockets)"),
    ("org.apache.kafka.clients.", "Kafka client network"),
    ("org.apache.kafka.common.protocol.", "Kafka protocol (requests, responses)"),
    ("org.apache.kafka.common.requests.", "Kafka protocol (requests, responses)"),
    ("org.apache.kafka.common.message.", "Kafka protocol (requests, responses)"),
    ("org.apache.flink.connector.kafka.", "Flink's Kafka connector"),
    ("org.apache.flink.runtime.io.network.", "Flink network stack (buffers, channels)"),
    ("org.apache.flink.runtime.checkpoint.", "Flink checkpoints and state"),
    ("org.apache.flink.runtime.state.", "Flink checkpoints and state"),
    ("org.apache.flink.streaming.runtime.io.", "Flink task input/output (record (de)serialisation)"),
    ("org.apache.flink.core.memory.", "Flink task input/output (record (de)serialisation)"),
    ("org.apache.flink.api.common.typeutils.", "Flink serializers"),
    ("org.apache.flink.api.java.typeutils.", "Flink serializers"),
    ("org.apache.flink.connector.base.source.reader.", "Flink source reader (fetcher queue)"),
    ("org.apache.flink.", "other Flink"),
    ("org.apache.pekko.", "Flink RPC (Pekko)"),
]

FRAME = re.compile(r"^\s{4}(\S+?)\(")
THREAD = re.compile(r'^\s*sampledThread = "(.*)" \(javaThreadId')


def thread_group(name):
    return re.sub(r"\d+", "#", name)


def component(stack):
    """(component, the frame that placed the sample in it)."""
    for frame in stack:
        for prefix, name in COMPONENTS:
            if frame.startswith(prefix):
                return name, frame
    top = stack[0] if stack else "?"
    return "other: " + ".".join(top.split(".")[:3]), top


def samples(path):
    """(thread, [frames top first]) per jdk.ExecutionSample."""
    out = subprocess.run(["jfr", "print", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    thread, stack = None, []
    for line in out.splitlines():
        m = THREAD.match(line)
        if m:
            thread, stack = m.group(1), []
            continue
        f = FRAME.match(line)
        if f and thread is not None:
            stack.append(f.group(1))
        elif line.startswith("}") and thread is not None:
            yield thread, stack
            thread = None


def millis(value):
    number, unit = value.split()
    return float(number) * {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1000, "min": 60000}[unit]


def events(path, event, fields):
    """The given fields of every event of a type, as strings."""
    out = subprocess.run(["jfr", "print", "--events", event, path], check=True, capture_output=True, text=True).stdout
    rows, row = [], {}
    for line in out.splitlines():
        m = re.match(r"^\s+(\w+) = (.*)$", line)
        if m and m.group(1) in fields:
            row[m.group(1)] = m.group(2).strip('"')
        elif line.startswith("}"):
            rows.append(row)
            row = {}
    return rows


def table(title, counter, total, top):
    print(title)
    for key, n in counter.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {key}")


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    by_thread, by_component, by_frame = Counter(), Counter(), Counter()
    frames_of = defaultdict(Counter)
    entries_of = defaultdict(Counter)
    total = 0
    for thread, stack in samples(path):
        total += 1
        group = thread_group(thread)
        by_thread[group] += 1
        name, entry = component(stack)
        by_component[name] += 1
        entries_of[name][entry] += 1
        top_frame = stack[0] if stack else "?"
        by_frame[top_frame] += 1
        frames_of[group][top_frame] += 1
    print(f"{path}: {total} execution samples")
    table("threads (share of samples):", by_thread, total, top)
    table("components (first frame from the top that belongs to one):", by_component, total, top)
    for name, n in by_component.most_common(5):
        table(f"where {name} was entered ({100.0 * n / total:.1f}% of samples):", entries_of[name], total, 5)
    table("top frames (self):", by_frame, total, top)
    for group, n in by_thread.most_common(4):
        table(f"top frames of {group} ({100.0 * n / total:.1f}% of samples):", frames_of[group], total, 8)

    load = events(path, "jdk.CPULoad", {"jvmUser", "jvmSystem", "machineTotal"})
    if load:
        pct = lambda f: sum(float(r[f].rstrip("%")) for r in load) / len(load)
        print(f"CPU load, mean of {len(load)} samples: this JVM {pct('jvmUser') + pct('jvmSystem'):.1f}% of the machine "
              f"(user {pct('jvmUser'):.1f}%, system {pct('jvmSystem'):.1f}%), the whole machine {pct('machineTotal'):.1f}%")
    gcs = events(path, "jdk.GarbageCollection", {"name", "sumOfPauses"})
    print(f"garbage collections: {len(gcs)}, paused {sum(millis(g['sumOfPauses']) for g in gcs) / 1000:.2f} s in all "
          f"({', '.join(f'{n} {c}' for n, c in Counter(g['name'] for g in gcs).items())})")
    compiles = events(path, "jdk.Compilation", {"duration"})
    print(f"JIT compilations over the recording's threshold: {len(compiles)}, "
          f"{sum(millis(c['duration']) for c in compiles) / 1000:.1f} s of compile time")


if __name__ == "__main__":
    main()
