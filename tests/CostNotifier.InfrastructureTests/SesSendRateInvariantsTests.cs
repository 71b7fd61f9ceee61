using System.Globalization;
using CostNotifier.Aws.Hosting;
using CostNotifier.EmailSending;
using CostNotifier.InfrastructureTests.Hcl;
using CostNotifier.InfrastructureTests.Invariants;
using CostNotifier.InfrastructureTests.Terraform;

namespace CostNotifier.InfrastructureTests;

/// <summary>
/// The notifier stays within the account's SES quota only if what it divides the quota by is the number of notifiers
/// Lambda really runs at once, and a paced batch still fits inside the function's timeout.
/// </summary>
public sealed class SesSendRateInvariantsTests
{
    private static ResourceInstance Resource(TerraformStack stack, string type, string name) =>
        stack.Resources(type).SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"terraform declares no {type} \"{name}\".");

    private static HclObject NotifierEnvironment(TerraformStack stack) =>
        (HclObject)Resource(stack, "aws_lambda_function", "notifier").Body.Block("environment")!["variables"];

    private static HclValue MaximumConcurrency(TerraformStack stack, string mapping) =>
        Resource(stack, "aws_lambda_event_source_mapping", mapping).Body.Block("scaling_config")?["maximum_concurrency"] ?? HclValue.Null;

    private static TerraformStack StackWith(decimal rate, decimal notifiers, decimal consumers = 3, decimal? timeout = null)
    {
        var inputs = new Dictionary<string, HclValue>
        {
            ["ses_max_send_rate"] = new HclNumber(rate),
            ["notifier_max_concurrency"] = new HclNumber(notifiers),
            ["consumer_max_concurrency"] = new HclNumber(consumers),
        };
        if (timeout is { } seconds)
        {
            inputs["notifier_timeout_seconds"] = new HclNumber(seconds);
        }

        return TerraformUnderTest.StackWith(inputs);
    }

    // An environment value as Lambda receives it: Terraform writes a number in its shortest decimal form.
    private static string AsEnvironmentText(HclValue value) =>
        value switch
        {
            HclNumber n => n.Value.ToString(CultureInfo.InvariantCulture),
            HclString s => s.Value,
            _ => throw new Xunit.Sdk.XunitException($"{value.Display()} is not a value Lambda's environment can hold."),
        };

    [Fact]
    public void ByDefault_TheNotifierSharesFourteenEmailsASecondBetweenTwoInvocations()
    {
        var stack = TerraformUnderTest.Stack;
        var environment = NotifierEnvironment(stack);

        Assert.Equal(new HclNumber(14), environment[EmailSendRate.MaxSendRateVariable]);
        Assert.Equal(new HclNumber(2), environment[EmailSendRate.MaxConcurrencyVariable]);
        Assert.Equal(new HclNumber(2), MaximumConcurrency(stack, "notifier"));
        Assert.Equal(EmailSendRate.DefaultMaxSendRate, environment[EmailSendRate.MaxSendRateVariable].Number());
        Assert.Equal(EmailSendRate.DefaultMaxConcurrency, environment[EmailSendRate.MaxConcurrencyVariable].Number());
    }

    /// <summary>
    /// Distinct values for every input show where each setting comes from: the notifier's mapping and the divisor the
    /// function reads both follow notifier_max_concurrency, the other mappings consumer_max_concurrency.
    /// </summary>
    [Fact]
    public void TheNotifierMappingsConcurrency_AndTheDivisorTheFunctionReads_ComeFromTheSameVariable()
    {
        var stack = StackWith(rate: 12.5m, notifiers: 5, consumers: 3);
        var environment = NotifierEnvironment(stack);

        Assert.Equal(new HclNumber(5), MaximumConcurrency(stack, "notifier"));
        Assert.Equal(MaximumConcurrency(stack, "notifier"), environment[EmailSendRate.MaxConcurrencyVariable]);
        Assert.Equal(new HclNumber(12.5m), environment[EmailSendRate.MaxSendRateVariable]);
        Assert.Equal(new HclNumber(3), MaximumConcurrency(stack, "notifier_delivery"));
        Assert.Equal(new HclNumber(3), MaximumConcurrency(stack, "collector"));
    }

    /// <summary>The function reads what Terraform writes, and each container's share times the containers is the quota.</summary>
    [Theory]
    [InlineData(14, 2)]
    [InlineData(1, 2)]
    [InlineData(12.5, 5)]
    [InlineData(1000, 1000)]
    public void TheEnvironmentTerraformWrites_IsReadByTheNotifierAsTheQuotaSharedByTheMappingsConcurrency(double rate, int notifiers)
    {
        var stack = StackWith((decimal)rate, notifiers);
        var environment = NotifierEnvironment(stack);

        var settings = new FunctionSettings(name => environment.Fields.TryGetValue(name, out var value) ? AsEnvironmentText(value) : null);

        Assert.Equal((decimal)rate, settings.SesMaxSendRate);
        Assert.Equal(MaximumConcurrency(stack, "notifier").Number(), settings.NotifierMaxConcurrency);
        Assert.Equal(settings.SesMaxSendRate, settings.EmailSendRatePerContainer * settings.NotifierMaxConcurrency);
    }

    /// <summary>Each value with whether Terraform accepts it; the function must accept exactly the same.</summary>
    [Theory]
    [InlineData("14", true)]
    [InlineData("1", true)]
    [InlineData("0.5", true)]
    [InlineData("1000", true)]
    [InlineData("0", false)]
    [InlineData("-1", false)]
    [InlineData("1000.5", false)]
    public void SesMaxSendRate_IsRefusedExactlyWhenTheNotifierRefusesIt(string value, bool accepted)
    {
        var failures = VariableValidation.Failures("ses_max_send_rate", new HclNumber(decimal.Parse(value, CultureInfo.InvariantCulture)));

        Assert.Equal(accepted, failures.Count == 0);
        Assert.Equal(accepted, Record.Exception(() => EmailSendRate.ParseMaxSendRate(value)) is null);
        if (!accepted)
        {
            Assert.Contains("ses_max_send_rate must be the SES sending quota", Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2", true)]
    [InlineData("10", true)]
    [InlineData("1000", true)]
    [InlineData("1", false)]
    [InlineData("0", false)]
    [InlineData("1001", false)]
    [InlineData("2.5", false)]
    public void NotifierMaxConcurrency_IsRefusedExactlyWhenTheNotifierRefusesIt(string value, bool accepted)
    {
        var failures = VariableValidation.Failures("notifier_max_concurrency", new HclNumber(decimal.Parse(value, CultureInfo.InvariantCulture)));

        Assert.Equal(accepted, failures.Count == 0);
        Assert.Equal(accepted, Record.Exception(() => EmailSendRate.ParseMaxConcurrency(value)) is null);
        if (!accepted)
        {
            Assert.Contains("notifier_max_concurrency must be a whole number from 2", Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The invariant itself, measured on the planned resources: a full batch of one-recipient reports at one
    /// container's share of the quota takes at most half the function's timeout. The mapping's precondition refuses
    /// exactly the settings that break it, so no accepted configuration can.
    /// </summary>
    [Theory]
    [InlineData(14, 2, null, true)]
    [InlineData(1, 2, null, true)]
    [InlineData(1, 3, null, true)]
    [InlineData(1, 4, null, false)]
    [InlineData(1, 10, null, false)]
    [InlineData(1, 10, 200, true)]
    [InlineData(0.1, 2, null, false)]
    [InlineData(0.1, 2, 400, true)]
    [InlineData(14, 42, null, true)]
    [InlineData(14, 43, null, false)]
    [InlineData(14, 1000, null, false)]
    public void APacedBatch_FitsWellInsideTheNotifiersTimeout_AndTerraformRefusesSettingsWhereItWouldNot(double rate, int notifiers, int? timeout, bool fits)
    {
        var stack = StackWith((decimal)rate, notifiers, timeout: timeout);
        var mapping = Resource(stack, "aws_lambda_event_source_mapping", "notifier");
        var function = Resource(stack, "aws_lambda_function", "notifier");
        var environment = NotifierEnvironment(stack);

        var quota = EmailSendRate.ParseMaxSendRate(AsEnvironmentText(environment[EmailSendRate.MaxSendRateVariable]));
        var containers = EmailSendRate.ParseMaxConcurrency(AsEnvironmentText(environment[EmailSendRate.MaxConcurrencyVariable]));
        var batch = mapping.Body["batch_size"].Number()!.Value;

        // batch / (quota / containers), multiplied out so a share like 1/3 is not rounded.
        var secondsForABatch = batch * containers / quota;
        var functionTimeout = function.Body["timeout"].Number()!.Value;

        Assert.Equal(10, batch);
        Assert.Equal(fits, secondsForABatch <= functionTimeout / 2);
        var preconditions = mapping.Body.Block("lifecycle")?.Blocks("precondition").ToList() ?? [];
        var precondition = Assert.Single(preconditions);
        Assert.Equal(new HclBool(fits), precondition["condition"]);
        Assert.Contains("notifier_max_concurrency", precondition["error_message"].Text(), StringComparison.Ordinal);
    }

    /// <summary>The example stack (and the default) keeps the invariant with room to spare, and so does the sandbox.</summary>
    [Fact]
    public void TheExampleStack_AndTheSandboxRate_KeepAPacedBatchWellInsideTheTimeout()
    {
        foreach (var stack in new[] { TerraformUnderTest.Stack, StackWith(rate: 1, notifiers: 2) })
        {
            var precondition = Resource(stack, "aws_lambda_event_source_mapping", "notifier").Body.Block("lifecycle")?.Block("precondition");
            Assert.True(precondition?["condition"].IsTrue(), "a batch of 10 emails at the per-container rate does not fit in half the timeout");
        }
    }
}
