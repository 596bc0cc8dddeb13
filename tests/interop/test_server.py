"""grpcio server for hyperswarm.testing.v1.TestService, for the interop tests.

Usage: test_server.py [max_receive_bytes]. Listens on 127.0.0.1 at a free port, prints
"PORT <n>" when ready, prints "CANCELLED <method>" when a handler sees its call end early,
and stops when stdin closes (so it never outlives the test)."""
import sys
import time
from concurrent import futures

import grpc

import wire


def status_code(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


def report(line):
    print(line, flush=True)


def echo_metadata(context):
    echoed = tuple((k, v) for k, v in context.invocation_metadata() if k.startswith("x-echo-"))
    if echoed:
        context.send_initial_metadata(echoed)
        context.set_trailing_metadata(echoed)


def unary(request, context):
    fields = wire.parse(request)
    echo_metadata(context)
    deadline = time.monotonic() + wire.first(fields, 3, 0) / 1000.0
    while time.monotonic() < deadline:
        if not context.is_active():
            report("CANCELLED UnaryCall")
            return b""
        time.sleep(0.005)
    fail_code = wire.first(fields, 4, 0)
    if fail_code:
        context.abort(status_code(fail_code), wire.first(fields, 5, b"").decode("utf-8"))
    size = wire.first(fields, 2, 0)
    return wire.payload(size if size else wire.first(fields, 1, b""))


def streaming_output(request, context):
    fields = wire.parse(request)
    echo_metadata(context)
    interval = wire.first(fields, 2, 0) / 1000.0
    # grpcio stops resuming a generator whose send failed, so a check inside the loop can miss a
    # cancellation that lands between next() and the send; the termination callback never does.
    finished = []
    context.add_callback(lambda: None if finished else report("CANCELLED StreamingOutputCall"))
    for size in wire.packed_ints(fields, 1):
        if not context.is_active():
            return
        yield wire.payload(size)
        if interval:
            time.sleep(interval)
    finished.append(True)


def streaming_input(requests, context):
    total = sum(len(wire.body(r)) for r in requests)
    return wire.int_field(1, total)


def full_duplex(requests, context):
    echo_metadata(context)
    for r in requests:
        yield r


HANDLERS = {
    "UnaryCall": grpc.unary_unary_rpc_method_handler(unary),
    "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(streaming_output),
    "StreamingInputCall": grpc.stream_unary_rpc_method_handler(streaming_input),
    "FullDuplexCall": grpc.stream_stream_rpc_method_handler(full_duplex),
}


class TestService(grpc.GenericRpcHandler):
    def service(self, handler_call_details):
        method = handler_call_details.method
        if not method.startswith(wire.SERVICE):
            return None
        return HANDLERS.get(method[len(wire.SERVICE):])


def main():
    max_receive = int(sys.argv[1]) if len(sys.argv) > 1 else 4 * 1024 * 1024
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=32),
        handlers=[TestService()],
        options=[("grpc.max_receive_message_length", max_receive)])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    report("PORT %d" % port)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
