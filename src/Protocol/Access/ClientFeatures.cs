namespace Gateway.Protocol.Access;

/// <summary>
/// SPEC R51, R64: the letters of a <c>Clt_Features:</c> value, for one server the relaying client connects to.
/// <c>D</c> turns DANE off and <c>M</c> turns MTA-STS off; as with <c>Srv_Features</c> (R63), lower case turns the
/// feature on. This gateway does neither DANE nor MTA-STS yet, so the letters are only recorded (and shown by
/// <c>gateway map test</c>). Null means "as configured".
/// </summary>
public sealed record ClientFeatures(bool? UseDane, bool? UseMtaSts)
{
    public static readonly ClientFeatures Default = new(null, null);

    /// <summary>
    /// Other letters are ignored, not refused: the spec lists only D and M for the client, and a map written for a
    /// sendmail that knows more must still load.
    /// </summary>
    public static ClientFeatures Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool? dane = null, mtaSts = null;
        foreach (var letter in value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).SelectMany(word => word))
        {
            switch (letter)
            {
                case 'D' or 'd':
                    dane = letter == 'd';
                    break;
                case 'M' or 'm':
                    mtaSts = letter == 'm';
                    break;
            }
        }

        return new ClientFeatures(dane, mtaSts);
    }
}
