#!/usr/bin/python3
"""Strict safetensors reader and writer for interop tests, written from the format spec.

The `safetensors` Python package is not installable on this machine (no PyPI; Debian 12 has
no python3-safetensors), so this stands in for it, using only the standard library and
Debian's torch (torch.frombuffer).

Format: u64 little-endian header length N, N bytes of UTF-8 JSON
{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the raw little-endian tensor bytes; offsets are relative to the data section and cover
it contiguously. Writers pad the header with spaces to a multiple of 8 bytes.

  read_safetensors.py read PATH    print a JSON summary (exit 1 with a message if invalid)
  read_safetensors.py write PATH   write a sample file and print its summary
"""
import hashlib
import json
import struct
import sys

import torch

DTYPES = {
    "F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "U8": torch.uint8,
    "BOOL": torch.bool, "I32": torch.int32, "F16": torch.float16, "BF16": torch.bfloat16,
}
NAMES = {v: k for k, v in DTYPES.items()}
CHECKSUM_KEY = "hs.sha256"


class Invalid(Exception):
    pass


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Invalid(f"duplicate key {k!r}")
        d[k] = v
    return d


def parse_header(raw, data_len):
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Invalid(f"header is not valid JSON: {e}") from e
    if not isinstance(header, dict):
        raise Invalid("header is not an object")
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise Invalid("__metadata__ must map strings to strings")
    entries = []
    for name, e in header.items():
        if not isinstance(e, dict) or set(e) != {"dtype", "shape", "data_offsets"}:
            raise Invalid(f"{name}: needs exactly dtype, shape, data_offsets")
        if e["dtype"] not in DTYPES:
            raise Invalid(f"{name}: unknown dtype {e['dtype']!r}")
        shape, offs = e["shape"], e["data_offsets"]
        ints = lambda xs: isinstance(xs, list) and all(type(x) is int and x >= 0 for x in xs)
        if not ints(shape) or not ints(offs) or len(offs) != 2 or offs[0] > offs[1]:
            raise Invalid(f"{name}: bad shape or data_offsets")
        numel = 1
        for d in shape:
            numel *= d
        size = numel * torch.empty((), dtype=DTYPES[e["dtype"]]).element_size()
        if offs[1] - offs[0] != size:
            raise Invalid(f"{name}: data_offsets span {offs[1] - offs[0]} bytes, shape needs {size}")
        entries.append((offs[0], offs[1], name, e["dtype"], shape))
    entries.sort()
    pos = 0
    for begin, end, name, _, _ in entries:
        if begin != pos:
            raise Invalid(f"{name}: gap or overlap at offset {begin}")
        pos = end
    if pos != data_len:
        raise Invalid(f"data section is {data_len} bytes, header describes {pos}")
    return metadata, entries


def check_checksum(blob, raw_header, metadata):
    stored = metadata.get(CHECKSUM_KEY)
    if stored is None:
        return "absent"
    quoted = f'"{stored}"'.encode()
    if raw_header.count(quoted) != 1:
        raise Invalid("checksum value does not occur exactly once in the header")
    zeroed = raw_header.replace(quoted, b'"' + b"0" * 64 + b'"')
    actual = hashlib.sha256(blob[:8] + zeroed + blob[8 + len(raw_header):]).hexdigest()
    if actual != stored:
        raise Invalid(f"checksum mismatch: stored {stored}, computed {actual}")
    return "ok"


def summarize(name, dtype_name, t, raw):
    return {
        "dtype": dtype_name, "shape": list(t.shape),
        "sum": float(t.double().sum()) if t.numel() else 0.0,
        "sha256": hashlib.sha256(raw).hexdigest(),
    }


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise Invalid("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise Invalid(f"header length {n} exceeds the file")
    raw_header = blob[8:8 + n]
    data = blob[8 + n:]
    metadata, entries = parse_header(raw_header, len(data))
    tensors = {}
    for begin, end, name, dtype_name, shape in entries:
        raw = data[begin:end]
        dtype = DTYPES[dtype_name]
        t = torch.frombuffer(bytearray(raw), dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = summarize(name, dtype_name, t.reshape(shape), raw)
    return {"metadata": metadata, "tensors": tensors, "checksum": check_checksum(blob, raw_header, metadata)}


def sample_tensors():
    return {
        "w.f32": torch.arange(12, dtype=torch.float32).reshape(3, 4) / 7,
        "w.f64": torch.tensor([1e-300, -2.5, 3.0], dtype=torch.float64),
        "i64": torch.tensor([[2**62, -1]], dtype=torch.int64),
        "u8": torch.arange(250, 256, dtype=torch.uint8).reshape(2, 3),
        "mask": torch.tensor([True, False, True, True]),
        "i32": torch.tensor([-7, 7], dtype=torch.int32),
        "f16": torch.tensor([0.5, 65504.0], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -2.0], [3.140625, 0.0]], dtype=torch.bfloat16),
        "scalar": torch.tensor(4.0),
        "empty": torch.zeros(0, 3),
    }


def write(path):
    tensors = sample_tensors()
    header, chunks, pos = {"__metadata__": {"writer": "read_safetensors.py", "ü": "ö"}}, [], 0
    summary = {}
    for name, t in tensors.items():
        raw = t.contiguous().flatten().view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [pos, pos + len(raw)]}
        chunks.append(raw)
        pos += len(raw)
        summary[name] = summarize(name, NAMES[t.dtype], t, raw)
    raw_header = json.dumps(header, ensure_ascii=False).encode("utf-8")
    raw_header += b" " * ((8 - len(raw_header) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw_header)) + raw_header + b"".join(chunks))
    return {"metadata": header["__metadata__"], "tensors": summary, "checksum": "absent"}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("read", "write"):
        sys.exit(__doc__)
    try:
        result = read(sys.argv[2]) if sys.argv[1] == "read" else write(sys.argv[2])
    except Invalid as e:
        sys.exit(f"{sys.argv[2]}: {e}")
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
