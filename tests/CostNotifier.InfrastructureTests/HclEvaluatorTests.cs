using CostNotifier.InfrastructureTests.Hcl;

namespace CostNotifier.InfrastructureTests;

/// <summary>The evaluator the invariants stand on: if it misreads an expression, a check could pass by accident.</summary>
public sealed class HclEvaluatorTests
{
    private sealed class Variables(Dictionary<string, HclValue> values) : IHclScope
    {
        public HclValue Resolve(string name, IReadOnlyList<TraversalStep> steps, out int consumed)
        {
            consumed = 1;
            var attribute = ((AttributeStep)steps[0]).Name;
            return name == "var" ? values[attribute] : new HclReference("", $"{name}.{attribute}");
        }
    }

    private static HclValue Evaluate(string template, Dictionary<string, HclValue>? variables = null) =>
        HclEvaluator.Evaluate(HclParser.ParseTemplate(template), new Variables(variables ?? []));

    [Theory]
    [InlineData("${6 * var.t + 1}", "361")]
    [InlineData("${var.t > 30 ? \"long\" : \"short\"}", "long")]
    [InlineData("${var.p}-collector-dlq", "cn-collector-dlq")]
    [InlineData("$${literal} ${var.p}", "${literal} cn")]
    [InlineData("${jsonencode({ b = var.t, a = [1, \"x\\\"y\"] })}", "{\"a\":[1,\"x\\\"y\"],\"b\":60}")]
    public void Evaluate_FollowsTerraformSemantics(string template, string expected)
    {
        var value = Evaluate(template, new() { ["t"] = new HclNumber(60), ["p"] = new HclString("cn") });

        Assert.Equal(expected, value.Display());
    }

    [Fact]
    public void Evaluate_UnsupportedFunction_IsUnknownRatherThanGuessed() =>
        Assert.IsType<HclUnknown>(Evaluate("${join(\",\", [\"a\"])}"));

    /// <summary>Terraform's answers (checked with <c>terraform console</c>), where RE2 and .NET would differ.</summary>
    [Theory]
    [InlineData("${can(regex(\"^a$\", \"a\"))}", "true")]
    [InlineData("${can(regex(\"^a$\", \"a\\n\"))}", "false")]
    [InlineData("${can(regex(\"^\\\\s$\", \"\\u00a0\"))}", "false")]
    [InlineData("${can(regex(\"^[^@\\\\s]+$\", \"a\\u00a0b\"))}", "true")]
    [InlineData("${can(regex(\"^\\\\d+$\", \"\\u0663\"))}", "false")]
    [InlineData("${can(regex(\"^[ -~]*$\", \"zo\\u00eb\"))}", "false")]
    [InlineData("${regex(\"[a-z]+\", \"12abc3\")}", "abc")]
    [InlineData("${regex(\"^(\\\\d+)-(\\\\d+)$\", \"10-20\")}", "[10, 20]")]
    [InlineData("${flatten([[true], [], [[false, true]]])}", "[true, false, true]")]
    [InlineData("${distinct([\"b\", \"a\", \"b\"])}", "[b, a]")]
    [InlineData("${alltrue(flatten([for r in [1, 2] : [for v in [r, 3] : v > 0]]))}", "true")]
    [InlineData("${can(regex(\"^a{1,1000}$\", \"a\"))}", "true")]
    [InlineData("${can(regex(\"^a{1,1001}$\", \"a\"))}", "false")]
    [InlineData("${can(regex(\"^a{1001}$\", \"a\"))}", "false")]
    [InlineData("${can(regex(\"^a$\", null))}", "false")]
    [InlineData("${null == null || can(regex(\"^a$\", null))}", "true")]
    [InlineData("${trimprefix(\"/costnotifier/slack\", \"/\")}", "costnotifier/slack")]
    [InlineData("${trimprefix(\"costnotifier\", \"/\")}", "costnotifier")]
    [InlineData("${trimprefix(\"//twice\", \"/\")}", "/twice")]
    [InlineData("${jsonencode(merge({ a = 1 }, false ? {} : { b = 2 }, true ? {} : { c = 3 }))}", "{\"a\":1,\"b\":2}")]
    public void Evaluate_RegexAndFlatten_AnswerAsTerraformDoes(string template, string expected) =>
        Assert.Equal(expected, Evaluate(template).Display());

    [Fact]
    public void Evaluate_RegexWithoutMatch_IsAnErrorThatCanTurnIntoFalse()
    {
        Assert.Throws<InvalidOperationException>(() => Evaluate("${regex(\"^b\", \"abc\")}"));
        Assert.Equal(new HclBool(false), Evaluate("${can(regex(\"^b\", \"abc\"))}"));
    }

    [Fact]
    public void Evaluate_KeepsResourceAttributesAsReferences()
    {
        var value = Evaluate("${aws_sqs_queue.dlq.arn}");

        Assert.Equal(new HclReference("", "aws_sqs_queue.dlq.arn"), value);
        Assert.Equal("aws_sqs_queue.dlq", ((HclReference)value).Resource);
    }

    [Fact]
    public void Evaluate_ForExpression_MapsEveryElement()
    {
        var value = Evaluate("${[for r in var.reports : { groupBy = r.group_by } if r.group_by != \"SERVICE\"]}", new()
        {
            ["reports"] = new HclList([
                new HclObject(new Dictionary<string, HclValue> { ["group_by"] = new HclString("SERVICE") }),
                new HclObject(new Dictionary<string, HclValue> { ["group_by"] = new HclString("TAG:team") }),
            ]),
        });

        Assert.Equal("[{\"groupBy\":\"TAG:team\"}]", value.ToJson());
    }

    [Fact]
    public void ApplyDefaults_FillsOptionalObjectAttributes()
    {
        var type = HclTypes.Parse("${list(object({ id = string, top = optional(number, 10), filter = optional(list(string), []) }))}");

        var value = HclTypes.ApplyDefaults(type, new HclList([new HclObject(new Dictionary<string, HclValue> { ["id"] = new HclString("a") })]));

        Assert.Equal("[{\"filter\":[],\"id\":\"a\",\"top\":10}]", value.ToJson());
    }
}
