namespace CostNotifier.Cli;

/// <summary>Reads a file an option names, with an error that names the option when it cannot.</summary>
internal static class OptionFile
{
    /// <summary>The text of <paramref name="path"/>, given as <paramref name="option"/>.</summary>
    /// <exception cref="ArgumentException">The file cannot be read; the message names the option, the path and why.</exception>
    public static string ReadAllText(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{option} '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
