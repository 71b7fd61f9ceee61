using System.Text.Json;

namespace CostNotifier.InfrastructureTests.Terraform;

/// <summary>One top-level declaration: a variable, output, resource, data source, module call or local value.</summary>
/// <param name="Kind">variable, output, resource, data, module, local, provider or terraform.</param>
/// <param name="Type">Resource or data source type (aws_sqs_queue); empty for the other kinds.</param>
/// <param name="File">Path of the declaring file, relative to the configuration's directory.</param>
public sealed record Declaration(string Kind, string Type, string Name, JsonElement Body, string File)
{
    /// <summary>Address inside its module: <c>aws_sqs_queue.collector</c>, <c>data.aws_iam_policy_document.x</c>, <c>var.name_prefix</c>.</summary>
    public string Address => Kind switch
    {
        "resource" => $"{Type}.{Name}",
        "data" => $"data.{Type}.{Name}",
        "variable" => $"var.{Name}",
        "local" => $"local.{Name}",
        _ => $"{Kind}.{Name}",
    };

    public string Location => $"{File}: {Address}";
}

/// <summary>The declarations of one directory of .tf files.</summary>
public sealed class TerraformModule(string directory, IReadOnlyList<Declaration> declarations)
{
    /// <summary>Directory relative to the configuration root, "." for the root module.</summary>
    public string Directory { get; } = directory;

    public IReadOnlyList<Declaration> Declarations { get; } = declarations;

    public IEnumerable<Declaration> OfKind(string kind) => Declarations.Where(d => d.Kind == kind);

    public Declaration? Find(string kind, string name, string type = "") =>
        Declarations.FirstOrDefault(d => d.Kind == kind && d.Name == name && d.Type == type);
}

/// <summary>Every module under a directory, parsed by hcl2json.</summary>
public sealed class TerraformConfiguration
{
    private TerraformConfiguration(string rootDirectory, IReadOnlyDictionary<string, TerraformModule> modules)
    {
        RootDirectory = rootDirectory;
        Modules = modules;
    }

    public string RootDirectory { get; }

    /// <summary>Modules by directory relative to <see cref="RootDirectory"/> ("." is the root module).</summary>
    public IReadOnlyDictionary<string, TerraformModule> Modules { get; }

    public TerraformModule RootModule => Modules["."];

    public static TerraformConfiguration Load(string rootDirectory)
    {
        var root = Path.GetFullPath(rootDirectory);
        var files = System.IO.Directory.EnumerateFiles(root, "*.tf", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No .tf files under {root}.");
        }

        var documents = Hcl2Json.Convert(files);
        var modules = files
            .GroupBy(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .ToDictionary(
                g => g.Key,
                g => new TerraformModule(g.Key, [.. g.SelectMany(f => Declarations(documents[f], Path.GetRelativePath(root, f).Replace('\\', '/')))]),
                StringComparer.Ordinal);
        return modules.ContainsKey(".")
            ? new TerraformConfiguration(root, modules)
            : throw new InvalidOperationException($"No root module (.tf files directly in {root}).");
    }

    private static IEnumerable<Declaration> Declarations(JsonElement document, string file)
    {
        foreach (var section in document.EnumerateObject())
        {
            switch (section.Name)
            {
                case "resource" or "data":
                    foreach (var type in section.Value.EnumerateObject())
                    {
                        foreach (var named in type.Value.EnumerateObject())
                        {
                            foreach (var body in Bodies(named.Value))
                            {
                                yield return new Declaration(section.Name, type.Name, named.Name, body, file);
                            }
                        }
                    }

                    break;
                case "variable" or "output" or "module" or "provider":
                    foreach (var named in section.Value.EnumerateObject())
                    {
                        foreach (var body in Bodies(named.Value))
                        {
                            yield return new Declaration(section.Name, "", named.Name, body, file);
                        }
                    }

                    break;
                case "locals":
                    foreach (var block in Bodies(section.Value))
                    {
                        foreach (var local in block.EnumerateObject())
                        {
                            yield return new Declaration("local", "", local.Name, local.Value, file);
                        }
                    }

                    break;
                default:
                    foreach (var body in Bodies(section.Value))
                    {
                        yield return new Declaration(section.Name, "", section.Name, body, file);
                    }

                    break;
            }
        }
    }

    internal static IEnumerable<JsonElement> Bodies(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [element];
}
