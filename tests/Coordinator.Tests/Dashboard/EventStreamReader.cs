using System.Net.Http.Headers;

namespace HyperSwarm.Coordinator.Tests.Dashboard;

/// <summary>
/// A client of a dashboard's <c>/api/events</c>: reads the text/event-stream message by message,
/// so a test awaits the message it expects (with a deadline) instead of sleeping.
/// </summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<EventStreamReader> OpenAsync(Uri page)
    {
        var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(page, "api/events"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStreamReader(client, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next message named <paramref name="name"/> whose data satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForAsync(string name, Func<string, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? eventName = null;
        try
        {
            while (await _reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name && match(line["data: ".Length..])) return line["data: ".Length..];
                else if (line.Length == 0) eventName = null;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no '{name}' message matched within {timeout}.");
        }

        throw new EndOfStreamException($"the stream ended before a '{name}' message matched.");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
        await Task.CompletedTask;
    }
}
