using CostNotifier.Aws.Sqs;
using CostNotifier.Messaging;

namespace CostNotifier.IntegrationTests.Aws;

public sealed class SqsQueueUrlsTests
{
    private static readonly SqsQueueUrls All = new(
        "https://sqs.eu-west-1.amazonaws.com/111122223333/cn-collector",
        "https://sqs.eu-west-1.amazonaws.com/111122223333/cn-collector-dlq",
        "https://sqs.eu-west-1.amazonaws.com/111122223333/cn-notifier",
        "https://sqs.eu-west-1.amazonaws.com/111122223333/cn-notifier-dlq");

    [Theory]
    [InlineData(PipelineQueue.Collector, "cn-collector", "cn-collector-dlq")]
    [InlineData(PipelineQueue.Notifier, "cn-notifier", "cn-notifier-dlq")]
    public void For_AndDeadLetterFor_PickThatQueuesUrls(PipelineQueue queue, string name, string deadLetterName)
    {
        Assert.EndsWith("/" + name, All.For(queue), StringComparison.Ordinal);
        Assert.EndsWith("/" + deadLetterName, All.DeadLetterFor(queue), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PipelineQueue.Collector, false, SqsQueueUrls.CollectorVariable)]
    [InlineData(PipelineQueue.Collector, true, SqsQueueUrls.CollectorDeadLetterVariable)]
    [InlineData(PipelineQueue.Notifier, false, SqsQueueUrls.NotifierVariable)]
    [InlineData(PipelineQueue.Notifier, true, SqsQueueUrls.NotifierDeadLetterVariable)]
    public void For_WhenTheUrlIsMissing_ThrowsNamingTheVariableToSet(PipelineQueue queue, bool deadLetter, string variable)
    {
        var none = new SqsQueueUrls(null, " ", null, "");

        var error = Assert.Throws<InvalidOperationException>(() => deadLetter ? none.DeadLetterFor(queue) : none.For(queue));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_WhenTheUrlIsNotAnHttpUrl_ThrowsShowingTheValue()
    {
        var urls = All with { Collector = "cn-collector" };

        var error = Assert.Throws<InvalidOperationException>(() => urls.For(PipelineQueue.Collector));

        Assert.Contains("'cn-collector'", error.Message, StringComparison.Ordinal);
    }
}
