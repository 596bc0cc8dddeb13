"""grpcio client that runs one interop case against a HyperSwarm server.

Usage: test_client.py PORT CASE. Exits 0 and prints "PASS CASE" when the case behaves as
GRPC.md §1.10 says; otherwise prints why and exits 1."""
import queue
import sys
import threading

import grpc

import wire

OUTPUT_SIZES = [31415, 9, 2653, 58979]
INPUT_SIZES = [27182, 8, 1828, 45904]


def method(channel, shape, name):
    return getattr(channel, shape)(wire.SERVICE + name)


def expect(condition, why):
    if not condition:
        raise AssertionError(why)


def expect_code(call, code):
    try:
        call()
    except grpc.RpcError as error:
        expect(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))
        return error
    raise AssertionError("expected %s, the call succeeded" % code)


def case_unary(channel):
    unary = method(channel, "unary_unary", "UnaryCall")
    expect(wire.body(unary(wire.simple_request(b"abc"))) == b"abc", "echo differs")
    expect(unary(wire.simple_request()) == b"", "empty echo is not empty")


def case_large_unary(channel):
    data = bytes(i % 251 for i in range(300000))
    expect(wire.body(method(channel, "unary_unary", "UnaryCall")(wire.simple_request(data))) == data, "bytes differ")


def case_server_streaming(channel):
    responses = method(channel, "unary_stream", "StreamingOutputCall")(wire.streaming_output_request(OUTPUT_SIZES))
    expect([len(wire.body(r)) for r in responses] == OUTPUT_SIZES, "sizes differ")


def case_client_streaming(channel):
    response = method(channel, "stream_unary", "StreamingInputCall")(iter([wire.payload(s) for s in INPUT_SIZES]))
    expect(wire.first(wire.parse(response), 1, 0) == 74922, "wrong total")


def case_ping_pong(channel):
    outgoing = queue.Queue()
    responses = method(channel, "stream_stream", "FullDuplexCall")(iter(outgoing.get, None))
    for size in OUTPUT_SIZES:
        outgoing.put(wire.payload(size))
        expect(len(wire.body(next(responses))) == size, "reply size differs")
    outgoing.put(None)
    expect(list(responses) == [], "extra replies")


def case_empty_stream(channel):
    expect(list(method(channel, "stream_stream", "FullDuplexCall")(iter([]))) == [], "responses to an empty stream")


def case_deadline(channel):
    unary = method(channel, "unary_unary", "UnaryCall")
    # Connect first: the 50 ms must be spent in the handler, not on connection setup.
    unary(wire.simple_request())
    expect_code(lambda: unary(wire.simple_request(sleep_ms=1000), timeout=0.05), grpc.StatusCode.DEADLINE_EXCEEDED)
    # A deadline the handler surely starts within, even on a loaded machine, so the server
    # side can show that its handler was cancelled.
    expect_code(lambda: unary(wire.simple_request(sleep_ms=5000), timeout=0.5), grpc.StatusCode.DEADLINE_EXCEEDED)


def case_cancel_after_first_response(channel):
    call = method(channel, "unary_stream", "StreamingOutputCall")(wire.streaming_output_request([10] * 1000, 10))
    next(call)
    call.cancel()
    expect_code(lambda: next(call), grpc.StatusCode.CANCELLED)


def case_cancel_after_begin(channel):
    release = threading.Event()

    def requests():
        release.wait()
        return
        yield

    future = method(channel, "stream_unary", "StreamingInputCall").future(requests())
    expect(future.cancel(), "cancel() was refused")
    release.set()
    expect(future.code() == grpc.StatusCode.CANCELLED, "code is %s" % future.code())


def case_oversize(channel):
    unary = method(channel, "unary_unary", "UnaryCall")
    expect_code(lambda: unary(wire.simple_request(bytes(2 * 1024 * 1024))), grpc.StatusCode.RESOURCE_EXHAUSTED)
    small = grpc.insecure_channel(TARGET, options=[("grpc.max_receive_message_length", 1024)])
    small_unary = method(small, "unary_unary", "UnaryCall")
    expect_code(lambda: small_unary(wire.simple_request(response_size=4000)), grpc.StatusCode.RESOURCE_EXHAUSTED)


def case_unimplemented(channel):
    expect_code(lambda: method(channel, "unary_unary", "Nope")(b""), grpc.StatusCode.UNIMPLEMENTED)
    expect_code(lambda: channel.unary_unary("/nope.v1.Nothing/UnaryCall")(b""), grpc.StatusCode.UNIMPLEMENTED)


def case_status_message(channel):
    text = "bad % \u00fcn\u00efc\u00f8d\u00e9"
    unary = method(channel, "unary_unary", "UnaryCall")
    error = expect_code(lambda: unary(wire.simple_request(fail_code=3, fail_message=text)), grpc.StatusCode.INVALID_ARGUMENT)
    expect(error.details() == text, "message differs: %r" % error.details())


def case_metadata(channel):
    data = b"\x00\x01\x02\xff"
    sent = (("x-echo-text", "hello world"), ("x-echo-data-bin", data))
    _, call = method(channel, "unary_unary", "UnaryCall").with_call(wire.simple_request(), metadata=sent)
    for received in (dict(call.initial_metadata()), dict(call.trailing_metadata())):
        expect(received.get("x-echo-text") == "hello world", "text metadata differs: %r" % received)
        expect(received.get("x-echo-data-bin") == data, "binary metadata differs: %r" % received)


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    TARGET = "127.0.0.1:%s" % sys.argv[1]
    with grpc.insecure_channel(TARGET) as main_channel:
        CASES[sys.argv[2]](main_channel)
    print("PASS " + sys.argv[2], flush=True)
