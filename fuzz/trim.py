#!/usr/bin/env python3
"""Trims fuzz/corpus/<target>/ to at most BUDGET bytes, keeping the inputs that cover the most
edges per byte: libFuzzer's merge (edges only, `-use_counters=0`) reports the edges of every
input, then a greedy cover picks inputs by new edges per byte until the budget is spent. Prints
the share of the corpus's edges kept. Run after `cargo +nightly fuzz cmin <target>`, with the
target built (`cargo +nightly fuzz build <target>`):

    python3 fuzz/trim.py <target> <budget-bytes>
"""

import heapq
import pathlib
import subprocess
import sys
import tempfile

FUZZ = pathlib.Path(__file__).resolve().parent
# Per-file cost on top of its bytes, so that many tiny files do not win over one larger one.
FILE_COST = 200


def edges_per_input(target, corpus):
    binary = FUZZ / "target/x86_64-unknown-linux-gnu/release" / target
    with tempfile.TemporaryDirectory() as scratch:
        control = pathlib.Path(scratch) / "control"
        empty = pathlib.Path(scratch) / "empty"
        empty.mkdir()
        subprocess.run(
            [binary, "-merge=1", "-use_counters=0", "-malloc_limit_mb=512",
             "-rss_limit_mb=2048", f"-merge_control_file={control}", empty, corpus],
            check=True, capture_output=True,
        )
        lines = control.read_text().split("\n")
    count = int(lines[0])
    files = [pathlib.Path(line) for line in lines[2:2 + count]]
    edges = {}
    for line in lines[2 + count:]:
        if line.startswith("FT "):
            index, *features = line.split()[1:]
            edges[files[int(index)]] = set(map(int, features))
    return edges


def main():
    target, budget = sys.argv[1], int(sys.argv[2])
    corpus = FUZZ / "corpus" / target
    edges = edges_per_input(target, corpus)
    size = {path: path.stat().st_size for path in edges}
    every = set().union(*edges.values())
    heap = [(-len(found) / (size[path] + FILE_COST), str(path)) for path, found in edges.items()]
    heapq.heapify(heap)
    covered, chosen, total = set(), [], 0
    while heap:
        _, name = heapq.heappop(heap)
        path = pathlib.Path(name)
        new = edges[path] - covered
        score = len(new) / (size[path] + FILE_COST)
        if not new or total + size[path] > budget:
            continue
        if heap and score < -heap[0][0]:
            heapq.heappush(heap, (-score, name))  # stale score: retry with the current one
            continue
        chosen.append(path)
        covered |= new
        total += size[path]
    kept = set(chosen)
    for path in corpus.iterdir():
        if path not in kept:
            path.unlink()
    print(f"{target}: kept {len(chosen)} inputs, {total} bytes, "
          f"{len(covered)}/{len(every)} edges ({100 * len(covered) / len(every):.1f}%)")


if __name__ == "__main__":
    main()
