using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using CostNotifier.Aws;

namespace CostNotifier.IntegrationTests.Aws;

/// <summary>One entry of a <c>SendMessageBatch</c> request as the server saw it.</summary>
internal sealed record ReceivedEntry(string Id, string Body);

/// <summary>What the scripted server answers for one entry.</summary>
internal abstract record EntryOutcome
{
    public static EntryOutcome Accepted { get; } = new AcceptedOutcome();

    public static EntryOutcome FailedBySqs(string code = "InternalError") => new FailedOutcome(code, SenderFault: false);

    public static EntryOutcome FailedBySender(string code = "InvalidMessageContents") => new FailedOutcome(code, SenderFault: true);

    internal sealed record AcceptedOutcome : EntryOutcome;

    internal sealed record FailedOutcome(string Code, bool SenderFault) : EntryOutcome;
}

/// <summary>
/// An SQS endpoint on a loopback port that answers <c>SendMessageBatch</c> (AWS JSON 1.0 protocol) as a script
/// says, so the real SDK client can be driven through partial failures fauxqs cannot produce on demand
/// (entries failed on SQS's side, a whole call refused).
/// </summary>
internal sealed class ScriptedSqsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, IReadOnlyList<ReceivedEntry>, Func<ReceivedEntry, EntryOutcome>?> _script;
    private readonly List<IReadOnlyList<ReceivedEntry>> _calls = [];
    private readonly Task _serving;
    private int _messageCounter;

    /// <param name="script">
    /// Given the call number (from 1) and its entries, how each entry fares; null refuses the whole call with
    /// <c>QueueDoesNotExist</c>.
    /// </param>
    public ScriptedSqsServer(Func<int, IReadOnlyList<ReceivedEntry>, Func<ReceivedEntry, EntryOutcome>?> script)
    {
        _script = script;
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public string QueueUrl => Url + "000000000000/scripted";

    /// <summary>The entries of every SendMessageBatch call received, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ReceivedEntry>> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>A production-configured SQS client pointed at this server, without the SDK's own retries.</summary>
    public IAmazonSQS CreateClient()
    {
        var config = new AmazonSQSConfig();
        new AwsConnection(Region: "us-east-1", EndpointUrl: Url).Apply(config, AwsConnection.Services.Sqs);
        config.MaxErrorRetry = 0;
        return new AmazonSQSClient(Emulators.EmulatorFixture.Credentials, config);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (HttpListenerException)
        {
            // Stopping the listener ends the pending GetContextAsync this way.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var request = JsonNode.Parse(await reader.ReadToEndAsync())!;
        var target = context.Request.Headers["X-Amz-Target"];
        if (target != "AmazonSQS.SendMessageBatch")
        {
            await WriteAsync(context, 400, new JsonObject { ["__type"] = "com.amazonaws.sqs#UnsupportedOperation", ["message"] = $"{target} is not scripted." });
            return;
        }

        var entries = request["Entries"]!.AsArray()
            .Select(e => new ReceivedEntry(e!["Id"]!.GetValue<string>(), e["MessageBody"]!.GetValue<string>()))
            .ToList();
        int callNumber;
        lock (_calls)
        {
            _calls.Add(entries);
            callNumber = _calls.Count;
        }

        var outcome = _script(callNumber, entries);
        if (outcome is null)
        {
            context.Response.Headers["x-amzn-query-error"] = "AWS.SimpleQueueService.NonExistentQueue;Sender";
            await WriteAsync(context, 400, new JsonObject
            {
                ["__type"] = "com.amazonaws.sqs#QueueDoesNotExist",
                ["message"] = "The specified queue does not exist.",
            });
            return;
        }

        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in entries)
        {
            switch (outcome(entry))
            {
                case EntryOutcome.FailedOutcome failure:
                    failed.Add(new JsonObject
                    {
                        ["Id"] = entry.Id,
                        ["SenderFault"] = failure.SenderFault,
                        ["Code"] = failure.Code,
                        ["Message"] = "Scripted failure.",
                    });
                    break;
                default:
                    successful.Add(new JsonObject
                    {
                        ["Id"] = entry.Id,
                        ["MessageId"] = $"scripted-{Interlocked.Increment(ref _messageCounter)}",
                        // The SDK checks each accepted body against this digest.
                        ["MD5OfMessageBody"] = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(entry.Body))),
                    });
                    break;
            }
        }

        await WriteAsync(context, 200, new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions()));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
