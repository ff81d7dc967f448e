using System.Net;
using System.Text;

namespace Gateway.Http.Page;

/// <summary>
/// Builds the status page's markup. Every text and attribute value goes through <see cref="WebUtility.HtmlEncode"/>:
/// host names and a destination's last error (a remote MTA's reply text) reach the page from outside, so no caller
/// can write data unencoded. Only tag and attribute names, which are constants here, are written as they are.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _html = new();

    /// <summary>An opening tag; attributes whose value is null are left out.</summary>
    public HtmlWriter Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _html.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                _html.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
            }
        }

        _html.Append('>');
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    public HtmlWriter Text(string? text)
    {
        _html.Append(WebUtility.HtmlEncode(text));
        return this;
    }

    /// <summary>An element holding only text.</summary>
    public HtmlWriter Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A table cell that tests and the script find by its field name.</summary>
    public HtmlWriter Cell(string field, string text, string? cssClass = null) =>
        Element("td", text, ("data-field", field), ("class", cssClass));

    /// <summary>A self-closed SVG element (polyline, line): its attribute values are numbers this page computed.</summary>
    public HtmlWriter Empty(string tag, params (string Name, string? Value)[] attributes)
    {
        Open(tag, attributes);
        _html.Insert(_html.Length - 1, '/');
        return this;
    }

    /// <summary>The doctype, the one piece of markup that is not an element.</summary>
    public HtmlWriter Doctype()
    {
        _html.Append("<!DOCTYPE html>\n");
        return this;
    }

    public override string ToString() => _html.ToString();
}
