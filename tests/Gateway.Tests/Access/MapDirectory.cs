using System.Runtime.Versioning;

namespace Gateway.Tests.Access;

/// <summary>
/// A temporary 0755 directory of 0644 access-map files, so the maps pass sendmail's file-safety checks (SPEC R34)
/// whatever the umask. Removed on dispose.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class MapDirectory : IDisposable
{
    public const UnixFileMode SafeFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode SafeDirectory = SafeFile | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public MapDirectory()
    {
        Root = Directory.CreateTempSubdirectory("gateway-access-").FullName;
        File.SetUnixFileMode(Root, SafeDirectory);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes the file in place (truncate and write, as an editor saving over it does).</summary>
    public string Write(string name, string text)
    {
        var file = PathOf(name);
        File.WriteAllText(file, text);
        File.SetUnixFileMode(file, SafeFile);
        return file;
    }

    /// <summary>Writes a temporary file next to it and renames it over the map, so no reader sees half a file.</summary>
    public string Replace(string name, string text)
    {
        var temporary = Write(name + ".new", text);
        var file = PathOf(name);
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not a test failure.
        }
    }
}
