using System.Globalization;
using System.Net;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Protocol;
using CostNotifier.CostData;
using CostNotifier.Domain;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Collector.CostExplorer;

/// <summary>
/// Daily or monthly grouped cost from AWS Cost Explorer's <c>GetCostAndUsage</c>, called through AWSSDK.Core's pipeline
/// (default credential chain, SigV4 for <c>ce</c> in the partition's Cost Explorer region, standard retries with
/// throttling back-off). One call per query, plus one per further page; every page costs $0.01 and is counted. A query
/// by account is one call too: Cost Explorer groups by the account and the query's grouping at once, and names the
/// accounts it answers for.
/// Create one per process: it owns the SDK client and its connections.
/// </summary>
public sealed class CostExplorerClient : ICostSource, IDisposable
{
    /// <summary>Cost Explorer as the SDK addresses it: JSON 1.1, served and signed from one region per partition.</summary>
    public static readonly AwsServiceSpec Service = new()
    {
        ServiceId = "Cost Explorer",
        EndpointOverrideKey = AwsConnection.Services.CostExplorer,
        SigningName = "ce",
        EndpointPrefix = "ce",
        ApiVersion = "2017-10-25",
        PartitionRegions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aws"] = "us-east-1",
            ["aws-cn"] = "cn-northwest-1",
        },
    };

    /// <summary>The price of one <c>GetCostAndUsage</c> request (page), in USD.</summary>
    public const decimal PricePerRequestUsd = 0.01m;

    private static readonly AwsOperation GetCostAndUsage = AwsOperation.Json11("AWSInsightsIndexService", "GetCostAndUsage");

    private readonly AwsProtocolClient _client;
    private readonly CostExplorerOptions _options;
    private readonly ILogger<CostExplorerClient> _logger;

    /// <summary>Creates the client with <see cref="CostExplorerOptions.Default"/>.</summary>
    public CostExplorerClient(AwsConnection connection, ILogger<CostExplorerClient> logger)
        : this(connection, CostExplorerOptions.Default, logger)
    {
    }

    /// <summary>Creates the client.</summary>
    /// <param name="connection">Region, profile, endpoint override (<c>AWS_ENDPOINT_URL_COST_EXPLORER</c>) and credentials.</param>
    /// <param name="options">Page limit and signing region.</param>
    /// <param name="logger">Where request counts and days without data yet are reported.</param>
    public CostExplorerClient(AwsConnection connection, CostExplorerOptions options, ILogger<CostExplorerClient> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.MaxPages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPages, "MaxPages must be at least 1.");
        }

        _options = options;
        _logger = logger;
        _client = new AwsProtocolClient(connection, Service, options.SigningRegion);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A monthly query's period does not run from the first of a month to the first of a later one.</exception>
    public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Granularity == CostGranularity.Monthly && !OnMonthBoundaries(query.Period))
        {
            // Cost Explorer would answer with part-months, which would read as whole months' cost.
            throw new ArgumentException(
                $"A monthly cost query must run from the first of a month to the first of a later month; {query.Period} does not.",
                nameof(query));
        }

        var pages = new List<CostAndUsagePage>();
        string? token = null;
        do
        {
            if (pages.Count == _options.MaxPages)
            {
                throw new CostSourceException(
                    string.Create(CultureInfo.InvariantCulture, $"Cost Explorer still had more pages for {query.Period} after {_options.MaxPages} requests; stopping so one query cannot run up the bill. Narrow the period or raise MaxPages."),
                    isTransient: false);
            }

            var body = GetCostAndUsageRequestWriter.Write(query, token);
            var response = await SendAsync(body, query, pages.Count, cancellationToken).ConfigureAwait(false);
            var page = CostAndUsagePage.Parse(response.Body, query.Metric, query.Granularity, query.ByAccount);
            pages.Add(page);
            if (page.NextPageToken is not null && string.Equals(page.NextPageToken, token, StringComparison.Ordinal))
            {
                throw new CostSourceException(
                    $"Cost Explorer answered page {pages.Count} for {query.Period} with the token it was given; stopping instead of looping.",
                    isTransient: true);
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        var days = CostAndUsagePage.Merge(query.Period, query.Granularity, pages, out var pending);
        foreach (var missing in pending)
        {
            _logger.LogWarning(
                "Cost Explorer has no data for {Date} in {Period} yet (no result, or an estimated one without cost); leaving it out",
                missing.ToString(),
                query.Period.ToString());
        }

        _logger.LogInformation(
            "Cost Explorer answered {Period} grouped by {GroupBy} (by account: {ByAccount}) in {Requests} billable requests ({RequestCostUsd} USD)",
            query.Period.ToString(),
            query.GroupBy.ToString(),
            query.ByAccount,
            pages.Count,
            pages.Count * PricePerRequestUsd);

        return new CostQueryResult(days, pages.Count) { AccountNames = CostAndUsagePage.MergeAccountNames(pages) };
    }

    /// <summary>Releases the SDK client and its HTTP connections.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>
    /// What an error left after the SDK's retries means for the caller: throttling, server and network failures
    /// and data not yet available are transient; access, validation and expired-bill errors are not.
    /// </summary>
    internal static CostSourceException Translate(Exception exception, DateRange period)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AmazonServiceException service)
        {
            var code = service.ErrorCode ?? "(no error code)";
            var (transient, meaning) = code switch
            {
                "AccessDeniedException" or "UnrecognizedClientException" or "InvalidClientTokenId" or "InvalidSignatureException" or "SignatureDoesNotMatch" =>
                    (false, "the credentials may not call ce:GetCostAndUsage (check the role's policy and that Cost Explorer is enabled)"),
                "ExpiredTokenException" or "RequestExpired" => (true, "the credentials expired; a retry with fresh credentials may succeed"),
                "ValidationException" or "SerializationException" => (false, "Cost Explorer rejected the request as invalid"),
                "BillExpirationException" => (false, "the requested period is older than Cost Explorer keeps (about 13 months)"),
                "DataUnavailableException" => (true, "Cost Explorer has no data for the period yet"),
                "InvalidNextTokenException" => (true, "a page token was refused; the query must start again from the first page"),
                "RequestChangedException" => (true, "the request changed between pages; the query must start again from the first page"),
                "LimitExceededException" or "ThrottlingException" or "TooManyRequestsException" or "Throttling" =>
                    (true, "Cost Explorer is still throttling after the SDK's retries"),
                _ when (int)service.StatusCode >= 500 => (true, "Cost Explorer failed on its side"),
                _ => (false, "Cost Explorer refused the request"),
            };
            return new CostSourceException(
                string.Create(CultureInfo.InvariantCulture, $"GetCostAndUsage for {period} failed with {code} (HTTP {(int)service.StatusCode}): {meaning}. {service.Message}"),
                transient,
                exception);
        }

        // A cancellation the caller did not ask for is the SDK's own timeout.
        var network = exception is HttpRequestException or IOException or TimeoutException or WebException or OperationCanceledException
            || exception.InnerException is HttpRequestException or IOException or TimeoutException or WebException;
        return new CostSourceException(
            network
                ? $"GetCostAndUsage for {period} could not reach Cost Explorer: {exception.Message}"
                : $"GetCostAndUsage for {period} could not be sent (credentials or client configuration): {exception.Message}",
            isTransient: network,
            exception);
    }

    private static bool OnMonthBoundaries(DateRange period) =>
        period.Start == period.Start.MonthStart && period.End == period.End.MonthStart;

    private async Task<AwsJsonResponse> SendAsync(byte[] body, CostQuery query, int pageIndex, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(new AwsJsonRequest(GetCostAndUsage, body), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            var translated = Translate(ex, query.Period);
            _logger.LogWarning(
                ex,
                "GetCostAndUsage page {Page} for {Period} failed with {ErrorCode}; transient: {Transient}",
                pageIndex + 1,
                query.Period.ToString(),
                (ex as AmazonServiceException)?.ErrorCode ?? ex.GetType().Name,
                translated.IsTransient);
            throw translated;
        }
    }
}
