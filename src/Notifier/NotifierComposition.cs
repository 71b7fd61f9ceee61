using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.Aws.Sqs;
using CostNotifier.BatchProcessing;
using CostNotifier.EmailSending;
using CostNotifier.Messaging;
using CostNotifier.Notifications;
using CostNotifier.Notifier.Chat;
using CostNotifier.Notifier.Delivery;
using CostNotifier.Notifier.Ses;
using CostNotifier.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Notifier;

/// <summary>Builds the notifier function's container: the composition root in AWS.</summary>
public static class NotifierComposition
{
    /// <summary>From the Lambda environment.</summary>
    public static IServiceProvider FromEnvironment() =>
        Build(FunctionSettings.FromEnvironment(), new AwsConnection(), TimeProvider.System, Console.Out);

    /// <summary>From explicit settings (tests point it at emulators).</summary>
    /// <remarks>
    /// Emails go through a <see cref="RateLimitedEmailSender"/>: this container's share of the account's SES sending
    /// quota (<see cref="FunctionSettings.EmailSendRatePerContainer"/>), read here so a bad value stops the cold start.
    /// Chat senders pace themselves per channel and are not limited by it.
    /// </remarks>
    public static IServiceProvider Build(FunctionSettings settings, AwsConnection connection, TimeProvider time, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sendRate = settings.EmailSendRatePerContainer;
        return FunctionContainer.Build(settings, connection, time, output, services => services
            .AddDynamoDbStores(connection, settings)
            .AddSqsQueues(connection, settings)
            .AddSsmSecrets(connection)
            .AddSingleton(new NotifierOptions(settings.SenderAddress, settings.ClaimDuration))

            // Registered on its own so the container disposes the SDK client; the decorator owns nothing.
            .AddSingleton(sp => new SesV2EmailSender(
                connection, new SesV2Options(settings.SesConfigurationSet), sp.GetRequiredService<ILogger<SesV2EmailSender>>()))
            .AddSingleton<IEmailSender>(sp => new RateLimitedEmailSender(
                sp.GetRequiredService<SesV2EmailSender>(), new SendRateLimiter(sendRate, sp.GetRequiredService<TimeProvider>())))
            .AddSingleton<IChatSender>(sp => new ChatWebhookSender(
                sp.GetRequiredService<ISecretSource>(),
                new ChatWebhookOptions
                {
                    SlackApiUrl = settings.SlackApiUrl ?? ChatWebhookOptions.SlackWebApi,
                    AllowHttpToLoopback = settings.ChatHttpToLoopback,
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ChatWebhookSender>>()))
            .AddNotifierCommands()
            .AddDeliveryTracking()
            .AddNotifierMediator()
            .AddBatchProcessor<NotifierRecordHandler>()
            .AddSingleton<DeliveryRecordHandler>()
            .AddSingleton(sp => Router(sp, settings)));
    }

    // Report messages go to the notifier's processor; records from the delivery queue, when one is configured, to the
    // delivery tracker's, which dead-letters into the delivery DLQ.
    private static SqsBatchRouter Router(IServiceProvider services, FunctionSettings settings)
    {
        var notifier = services.GetRequiredService<SqsBatchProcessor>();
        var deliveryQueue = SqsBatchRouter.QueueNameOf(settings.Optional(SqsQueueUrls.DeliveryVariable));
        if (deliveryQueue is null)
        {
            return new SqsBatchRouter(notifier, new Dictionary<string, SqsBatchProcessor>());
        }

        var delivery = new SqsBatchProcessor(
            services.GetRequiredService<DeliveryRecordHandler>(),
            services.GetRequiredService<IDeadLetterSink>(),
            services.GetRequiredService<PipelineMetrics>(),
            services.GetRequiredService<ILogger<SqsBatchProcessor>>());
        return new SqsBatchRouter(notifier, new Dictionary<string, SqsBatchProcessor>(StringComparer.Ordinal) { [deliveryQueue] = delivery });
    }
}
