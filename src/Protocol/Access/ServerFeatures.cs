namespace Gateway.Protocol.Access;

/// <summary>
/// SPEC R63: the letters of a <c>Srv_Features:</c> value, upper case turning a feature off and lower case on.
/// This gateway acts on the TLS ones: <c>S</c>/<c>s</c> offer STARTTLS, <c>V</c>/<c>v</c> ask for a client
/// certificate. Other letters are sendmail's (AUTH, PIPELINING, ...) and are accepted and ignored, so a map
/// written for sendmail loads unchanged. Null means "as configured".
/// </summary>
public sealed record ServerFeatures(bool? OfferStartTls, bool? RequestClientCertificate)
{
    public static readonly ServerFeatures Default = new(null, null);

    /// <summary>sendmail's feature letters (R63); anything else in a value is a typo worth refusing at load.</summary>
    private const string Known = "SsVvAaPpLlcBDEXhFo";

    public static ServerFeatures Parse(string value, out string? error)
    {
        error = null;
        bool? startTls = null, certificate = null;
        foreach (var letter in value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).SelectMany(word => word))
        {
            switch (letter)
            {
                case 'S' or 's':
                    startTls = letter == 's';
                    break;
                case 'V' or 'v':
                    certificate = letter == 'v';
                    break;
                default:
                    if (!Known.Contains(letter, StringComparison.Ordinal))
                    {
                        error = $"'{value}': '{letter}' is not a server feature letter (S/s STARTTLS, V/v client certificate, {Known})";
                    }

                    break;
            }
        }

        return new ServerFeatures(startTls, certificate);
    }
}
