using FluentValidation;
using Mediator;

namespace CostNotifier.Validation;

/// <summary>
/// Runs every validator registered for a command before its handler. Handlers therefore see only valid commands;
/// an invalid one throws <see cref="ValidationException"/>, which the batch processor treats as permanent.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    /// <inheritdoc />
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken).ConfigureAwait(false);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw new ValidationException($"{typeof(TMessage).Name} is invalid: {string.Join("; ", failures.Select(f => f.ErrorMessage))}", failures);
        }

        return await next(message, cancellationToken).ConfigureAwait(false);
    }
}
