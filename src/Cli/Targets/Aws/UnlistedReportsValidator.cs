using CostNotifier.Domain;
using CostNotifier.Scheduler;
using FluentValidation;
using FluentValidation.Results;

namespace CostNotifier.Cli.Targets.Aws;

/// <summary>
/// Checks a scheduling command for a stack whose report list the CLI was not given: everything
/// <see cref="ScheduleReportsValidator"/> checks (dates, range, no request id on a scheduled run) except the report ids, which
/// only the deployed list can confirm.
/// </summary>
public sealed class UnlistedReportsValidator(TimeProvider time) : AbstractValidator<ScheduleReports>
{
    private readonly ScheduleReportsValidator _scheduler = new(new ReportCatalog([]), time);

    /// <inheritdoc />
    public override ValidationResult Validate(ValidationContext<ScheduleReports> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _scheduler.Validate(WithoutReports(context));
    }

    /// <inheritdoc />
    public override Task<ValidationResult> ValidateAsync(ValidationContext<ScheduleReports> context, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _scheduler.ValidateAsync(WithoutReports(context), cancellation);
    }

    private static ScheduleReports WithoutReports(ValidationContext<ScheduleReports> context) => context.InstanceToValidate with { Reports = [] };
}
