"""Smoke test of a CUDA build of libhstorch through its C ABI (no .NET needed).

Asserts what the GPU tests assert from C#: CUDA compiled in and available, at least one
device, a tensor created on the device, a sync, and device memory in use. Exits non-zero,
with the shim's own error text, on any failure.
"""
import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
i32, i64 = ctypes.c_int32, ctypes.c_int64


def check(rc, what):
    if rc != 0:
        buf = ctypes.create_string_buffer(4096)
        n = i64()
        lib.hs_last_error(buf, i64(4096), ctypes.byref(n))
        sys.exit(f"{what} failed ({rc}): {buf.value.decode()}")


buf = ctypes.create_string_buffer(256)
n = i64()
check(lib.hs_version(buf, i64(256), ctypes.byref(n)), "hs_version")
print("shim reports", buf.value.decode())
avail, count = i32(), i32()
check(lib.hs_cuda_is_available(ctypes.byref(avail)), "hs_cuda_is_available")
check(lib.hs_cuda_device_count(ctypes.byref(count)), "hs_cuda_device_count")
print("cuda available", avail.value, "devices", count.value)
assert avail.value == 1 and count.value >= 1, "CUDA is not usable through the shim"
shape = (i64 * 2)(1024, 1024)
t = ctypes.c_void_p()
# HS_FLOAT32 = 0, HS_CUDA = 1 (hs_torch.h)
check(lib.hs_ones(shape, i64(2), i32(0), i32(1), i32(0), ctypes.byref(t)), "hs_ones on cuda:0")
check(lib.hs_cuda_synchronize(i32(0)), "hs_cuda_synchronize")
mem = i64()
check(lib.hs_cuda_memory_allocated(i32(0), ctypes.byref(mem)), "hs_cuda_memory_allocated")
print("cuda memory allocated", mem.value)
assert mem.value >= 4 * 1024 * 1024, "the device tensor is not accounted for"
check(lib.hs_tensor_free(t), "hs_tensor_free")
print("SMOKE OK")
