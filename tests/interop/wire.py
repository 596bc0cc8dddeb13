"""Just enough protobuf to speak hyperswarm.testing.v1 without codegen (GRPC.md §1.10:
generic handlers and raw bytes are the least fragile way to use Debian's grpcio)."""

SERVICE = "/hyperswarm.testing.v1.TestService/"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def parse(data):
    """Field number -> list of values: int for varints, bytes for length-delimited."""
    fields = {}
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = read_varint(data, i)
        elif wire_type == 2:
            length, i = read_varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
        fields.setdefault(number, []).append(value)
    return fields


def packed_ints(fields, number):
    """A repeated int32 field, packed (proto3 default) or not."""
    values = []
    for item in fields.get(number, []):
        if isinstance(item, int):
            values.append(item)
            continue
        i = 0
        while i < len(item):
            value, i = read_varint(item, i)
            values.append(value)
    return values


def first(fields, number, default):
    return fields.get(number, [default])[0]


def bytes_field(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def int_field(number, value):
    return varint(number << 3) + varint(value) if value else b""


def payload(size_or_bytes):
    body = bytes(size_or_bytes) if isinstance(size_or_bytes, int) else size_or_bytes
    return bytes_field(1, body) if body else b""


def body(data):
    return first(parse(data), 1, b"")


def simple_request(payload_bytes=b"", response_size=0, sleep_ms=0, fail_code=0, fail_message=""):
    return (bytes_field(1, payload_bytes) if payload_bytes else b"") + int_field(2, response_size) \
        + int_field(3, sleep_ms) + int_field(4, fail_code) \
        + (bytes_field(5, fail_message.encode("utf-8")) if fail_message else b"")


def streaming_output_request(sizes, interval_ms=0):
    packed = b"".join(varint(s) for s in sizes)
    return bytes_field(1, packed) + int_field(2, interval_ms)
