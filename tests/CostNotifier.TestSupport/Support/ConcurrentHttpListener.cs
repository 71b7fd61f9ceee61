using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace CostNotifier.TestSupport;

/// <summary>
/// An <see cref="HttpListener"/> on a free loopback port that hands each request to an answer callback on a task of
/// its own, so a request held open (a long poll, a dependency that hangs) never holds up the others.
/// </summary>
/// <remarks>
/// Unlike <see cref="LoopbackHttpServer"/>, which answers one request at a time, answers may run at once: the callback
/// does its own locking. It gets <see cref="Stopping"/>, which disposing cancels so a held request can end; an answer
/// that ends with a cancellation or a broken connection has its connection cut. Disposing waits for every answer.
/// </remarks>
internal sealed class ConcurrentHttpListener : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, CancellationToken, Task> _answer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _answering = new();
    private readonly Task _serving;

    private ConcurrentHttpListener(HttpListener listener, int port, Func<HttpListenerContext, CancellationToken, Task> answer)
    {
        _listener = listener;
        _answer = answer;
        Port = port;
        Url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        Stopping = _stopping.Token;
        _serving = Task.Run(AcceptAsync);
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The base URL without a trailing slash, e.g. <c>http://127.0.0.1:43121</c>.</summary>
    public string Url { get; }

    /// <summary>Cancelled when disposing begins; still readable afterwards.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Starts listening on a free port; a port taken between choosing and binding it is retried with another.</summary>
    /// <param name="answer">Answers one request; called on a task of its own with <see cref="Stopping"/>.</param>
    public static ConcurrentHttpListener Start(Func<HttpListenerContext, CancellationToken, Task> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            try
            {
                listener.Start();
                return new ConcurrentHttpListener(listener, port, answer);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Cuts the response's connection; one already closed with the listener is left as it is.</summary>
    public static void Abort(HttpListenerResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            response.Abort();
        }
        catch (ObjectDisposedException)
        {
            // Already closed with the listener.
        }
    }

    /// <summary>Cancels <see cref="Stopping"/>, stops listening and waits for the answers under way.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        await _serving;
        await Task.WhenAll(_answering.Keys);
        _listener.Close();
        _stopping.Dispose();
    }


    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopping the listener ends the pending accept with one of these.
                return;
            }

            var answering = Task.Run(() => AnswerAsync(context));
            _answering[answering] = 0;
            _ = answering.ContinueWith(done => _answering.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            await _answer(context, Stopping);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // Stopping (a held request is cut off), or the client went away mid-request.
            Abort(context.Response);
        }
    }
}
