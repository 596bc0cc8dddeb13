"""grpcio side of `hyperswarm bench grpc` (Debian python3-grpcio, generic handlers, raw bytes).

  grpc_peer.py server                     serve on 127.0.0.1, print "PORT n", stop when stdin closes
  grpc_peer.py unary PORT SECONDS SIZE    sequential unary echoes; print "RESULT calls seconds"
  grpc_peer.py stream PORT COUNT SIZE     one server stream; print "RESULT messages seconds"
"""
import sys
import time
from concurrent import futures

import grpc

SERVICE = "/hyperswarm.bench.v1.Bench/"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
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


def stream_request(data):
    """(count, size) from a StreamRequest: two varint fields."""
    fields = {1: 0, 2: 0}
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        value, i = read_varint(data, i)
        fields[key >> 3] = value
    return fields[1], fields[2]


def payload(size):
    return b"\x0a" + varint(size) + bytes(size) if size else b""


def serve():
    def stream(request, context):
        count, size = stream_request(request)
        message = payload(size)
        for _ in range(count):
            yield message

    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(lambda request, context: request),
        "Stream": grpc.unary_stream_rpc_method_handler(stream),
    }

    class Bench(grpc.GenericRpcHandler):
        def service(self, details):
            if details.method.startswith(SERVICE):
                return handlers.get(details.method[len(SERVICE):])
            return None

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[Bench()])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)


def unary(port, seconds, size):
    with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
        call = channel.unary_unary(SERVICE + "Unary")
        request = payload(size)
        for _ in range(200):
            call(request)
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            call(request)
            calls += 1
        print("RESULT %d %.6f" % (calls, time.perf_counter() - start), flush=True)


def stream(port, count, size):
    with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
        call = channel.unary_stream(SERVICE + "Stream")
        for _ in call(varint(1 << 3) + varint(1000) + varint(2 << 3) + varint(size)):
            pass
        start = time.perf_counter()
        messages = sum(1 for _ in call(varint(1 << 3) + varint(count) + varint(2 << 3) + varint(size)))
        print("RESULT %d %.6f" % (messages, time.perf_counter() - start), flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "server":
        serve()
    elif mode == "unary":
        unary(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
    else:
        stream(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
