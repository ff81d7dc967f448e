namespace Gateway.Protocol.Mail;

/// <summary>The MAIL BODY parameter: RFC 1652 (8BITMIME). BINARYMIME is not offered.</summary>
public enum BodyType
{
    Unspecified,
    SevenBit,
    EightBitMime,
}
