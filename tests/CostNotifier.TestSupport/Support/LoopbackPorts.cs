using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CostNotifier.TestSupport;

/// <summary>
/// Free loopback ports for the test servers and emulators. A port is free when the OS hands it out, but between that
/// probe and the server binding it another server of the same test run could be handed the same one, and two
/// HttpListeners in one process on one port share (and tear down) one socket. So no port is handed out twice in a
/// process; a port another process takes in between still fails the bind, which each server retries.
/// </summary>
internal static class LoopbackPorts
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>A loopback port the OS says is free and this process has not handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
