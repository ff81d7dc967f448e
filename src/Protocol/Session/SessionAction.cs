namespace Gateway.Protocol.Session;

/// <summary>What the connection must do after a command, besides sending the reply.</summary>
public enum SessionAction
{
    /// <summary>Send the reply (if any) and read the next command.</summary>
    None,

    /// <summary>Send 354, then read a DATA body; the final reply comes after the body.</summary>
    ReceiveData,

    /// <summary>Read a BDAT chunk into the transaction; the reply comes after the chunk.</summary>
    ReceiveChunk,

    /// <summary>Read a BDAT chunk and drop it, then send the (error) reply.</summary>
    DiscardChunk,

    /// <summary>Send the reply, flush, and close the connection.</summary>
    Close,

    /// <summary>
    /// Send 220 in clear text, drop every byte received after the STARTTLS line (SPEC R82), and
    /// run the TLS handshake on the raw stream (R4).
    /// </summary>
    StartTls,
}
