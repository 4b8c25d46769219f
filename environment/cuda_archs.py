#!/usr/bin/env python3
"""Lists the GPU architectures compiled into ND4J's CUDA library (SASS per sm_XX, and any PTX).

Usage: environment/cuda_archs.py [JAR_OR_SO]
  default: ~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar
  (fetch it with: mvn dependency:get -Dartifact=org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1:jar:linux-x86_64)

Hand-written because cuobjdump comes only with a full CUDA toolkit: it reads the ELF section .nv_fatbin and walks
the fatbinary headers (magic 0xBA55ED50; per entry: kind 1 = PTX, 2 = ELF/SASS, target sm at byte 28).
"""
import collections
import os
import struct
import sys
import tempfile
import zipfile

FATBIN_MAGIC = 0xBA55ED50
DEFAULT = os.path.expanduser("~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/"
                             "nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar")


def section(path, wanted):
    """(offset, size) of the named section of a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            raise SystemExit(f"{path}: not a 64-bit ELF file")
        shoff, = struct.unpack_from("<Q", head, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", head, 0x3A)
        f.seek(shoff)
        table = f.read(shentsize * shnum)
        entries = [struct.unpack_from("<IIQQQQ", table, i * shentsize) for i in range(shnum)]
        f.seek(entries[shstrndx][4])
        names = f.read(entries[shstrndx][5])
        for name_off, _type, _flags, _addr, off, size in entries:
            if names[name_off:names.index(b"\0", name_off)].decode() == wanted:
                return off, size
    raise SystemExit(f"{path}: no {wanted} section (not a CUDA library?)")


def architectures(path):
    """Counter of (kind, sm) over every fatbinary in the library."""
    off, size = section(path, ".nv_fatbin")
    counts, binaries = collections.Counter(), 0
    with open(path, "rb") as f:
        f.seek(off)
        data = f.read(size)
    p = 0
    while p + 16 <= len(data):
        magic, _ver, hsize, fsize = struct.unpack_from("<IHHQ", data, p)
        if magic != FATBIN_MAGIC:
            p += 8
            continue
        binaries += 1
        q, end = p + hsize, p + hsize + fsize
        while q < end:
            kind, _unk, ehsize, psize = struct.unpack_from("<HHIQ", data, q)
            sm, = struct.unpack_from("<I", data, q + 28)
            counts[({1: "PTX", 2: "SASS"}.get(kind, str(kind)), sm)] += 1
            q += ehsize + psize
        p = end
    return binaries, counts


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        lib = src
        if src.endswith(".jar"):
            with zipfile.ZipFile(src) as jar:
                member = next(n for n in jar.namelist() if n.endswith("/libnd4jcuda.so"))
                lib = jar.extract(member, tmp)
        binaries, counts = architectures(lib)
    print(f"{os.path.basename(src)}: {binaries} fatbinaries")
    for kind in ("SASS", "PTX"):
        sms = sorted({sm for k, sm in counts if k == kind})
        print(f"  {kind}: " + (", ".join(f"sm_{sm}" for sm in sms) if sms else "none"))


if __name__ == "__main__":
    main()
