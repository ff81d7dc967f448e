using Gateway.Protocol.Access;
using Gateway.Protocol.Commands;
using Gateway.Protocol.Mail;
using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Session;

/// <summary>
/// What each command means in the current state (RFC 5321 §4.1.4 order, §4.5.3 limits) and what to
/// answer. Pure: the connection actor feeds it parsed commands and carries out the decision.
/// Not here: content reading (Framing), storage, policy beyond local domains.
/// </summary>
public static class SessionRules
{
    /// <param name="policy">
    /// The access map's verdict for this MAIL or RCPT (tls_client at MAIL, R11, then From:; To: and relaying),
    /// or null without an access map. It applies after the syntax and sequence checks, which come first.
    /// </param>
    public static Decision Apply(SessionState state, SmtpCommand command, SessionSettings settings, Verdict? policy = null)
    {
        var first = !state.SawFirstCommand;
        var s = first ? state with { SawFirstCommand = true } : state;
        if (s.Restricted is { } refusal && command is SmtpCommand.Mail or SmtpCommand.Rcpt or SmtpCommand.Data or SmtpCommand.Bdat
            or SmtpCommand.Vrfy or SmtpCommand.Help or SmtpCommand.StartTls or SmtpCommand.NotImplemented)
        {
            // SPEC R10: restricted mode answers everything but QUIT, HELO, EHLO, NOOP, RSET and unknown commands
            // with the stored refusal; each counts toward the bad-command limit (more than 25 → 421 and close).
            var refused = Bad(s, refusal, settings);
            return command is SmtpCommand.Bdat ? Discard(refused) : refused;
        }

        return command switch
        {
            // SPEC R17: an HTTP request on port 25 is a proxy probe; end the conversation at once.
            SmtpCommand.HttpLike when first => new(SmtpReplies.RejectingOpenProxy(settings.Hostname, s.ClientAddress), s, SessionAction.Close),
            SmtpCommand.HttpLike => Bad(s, SmtpReplies.CommandUnrecognized, settings),
            SmtpCommand.Invalid invalid => Bad(s, invalid.Reply, settings),
            // RFC 5321 §4.1.4: EHLO/HELO reset the transaction as RSET does.
            SmtpCommand.Ehlo e => new(SmtpReplies.Ehlo(settings.Hostname, e.Domain, settings.ExtensionsFor(s)), s with { HeloName = e.Domain, Extended = true, Transaction = null }),
            SmtpCommand.Helo h => new(SmtpReplies.Helo(settings.Hostname, h.Domain), s with { HeloName = h.Domain, Extended = false, Transaction = null }),
            SmtpCommand.Mail mail => Mail(s, mail, settings, policy),
            SmtpCommand.Rcpt rcpt => Rcpt(s, rcpt, settings, policy),
            SmtpCommand.Data => Data(s, settings),
            SmtpCommand.Bdat => Bdat(s, settings),
            SmtpCommand.Rset => new(SmtpReplies.Reset, s with { Transaction = null }),
            SmtpCommand.Noop => new(SmtpReplies.Ok, s),
            SmtpCommand.Quit => new(SmtpReplies.Closing(settings.Hostname), s, SessionAction.Close),
            SmtpCommand.Vrfy => new(SmtpReplies.CannotVerify, s),
            SmtpCommand.Help => new(SmtpReplies.Help, s),
            SmtpCommand.StartTls => StartTls(s, settings),
            SmtpCommand.NotImplemented => Bad(s, SmtpReplies.CommandNotImplemented, settings),
            _ => Bad(s, SmtpReplies.CommandUnrecognized, settings),
        };
    }

    /// <summary>
    /// SPEC R8 / RFC 3207 §4.2: after the handshake everything learnt from the client in clear text
    /// is forgotten (HELO name, transaction, extensions); the transport facts and the error budget
    /// stay. The first command after STARTTLS is again checked for HTTP (R17).
    /// </summary>
    public static SessionState AfterTls(SessionState state) =>
        new(state.ClientAddress, BadCommands: state.BadCommands, TlsActive: true, Restricted: state.Restricted, Host: state.Host) { Policy = state.Policy };

    /// <summary>SPEC R10: tls_client refused after the handshake (or Connect: refused the client): enter restricted mode.</summary>
    public static SessionState Restrict(SessionState state, Reply refusal) => state with { Restricted = refusal };

    // SPEC R3, rows 2–4 and 10 (row 1, an argument, is refused by the parser).
    private static Decision StartTls(SessionState s, SessionSettings settings) => s switch
    {
        { TlsActive: true } => new(SmtpReplies.TlsAlreadyActive, s),
        _ when !settings.StartTlsOffered || s.Policy.TlsHidden => new(SmtpReplies.TlsNotAvailable, s),
        { Transaction: not null } => new(SmtpReplies.TlsDuringTransaction, s),
        _ => new(SmtpReplies.ReadyToStartTls, s, SessionAction.StartTls),
    };

    /// <summary>The transaction ended (committed, refused or failed): back to the state after EHLO.</summary>
    public static SessionState EndTransaction(SessionState state) => state with { Transaction = null };

    private static Decision Mail(SessionState s, SmtpCommand.Mail mail, SessionSettings settings, Verdict? policy)
    {
        if (s.HeloName is null)
        {
            return Bad(s, s.TlsActive ? SmtpReplies.HelloAfterTls : SmtpReplies.HelloFirst, settings);
        }

        if (s.Transaction is not null)
        {
            return Bad(s, SmtpReplies.NestedMail, settings);
        }

        // RFC 1870 §6.2: a declared size over the limit is refused at MAIL.
        if (mail.Parameters.Size > settings.MaxMessageSize)
        {
            return new(SmtpReplies.MessageTooBig(settings.MaxMessageSize), s);
        }

        if (policy is { Refuses: true })
        {
            return new(policy.ToReply(), s);
        }

        var discard = policy?.Kind == VerdictKind.Discard;
        return new(SmtpReplies.SenderOk, s with { Transaction = new Transaction(mail.ReversePath, mail.Parameters, [], Discard: discard) });
    }

    private static Decision Rcpt(SessionState s, SmtpCommand.Rcpt rcpt, SessionSettings settings, Verdict? policy)
    {
        if (s.Transaction is not { } t)
        {
            return Bad(s, SmtpReplies.NeedMail, settings);
        }

        if (t.BdatStarted)
        {
            return Bad(s, SmtpReplies.BadSequence, settings);
        }

        // RFC 6531 §3.5: a UTF-8 address only in a transaction that declared SMTPUTF8.
        if (rcpt.ForwardPath.IsInternational && !t.Parameters.SmtpUtf8)
        {
            return Bad(s, SmtpReplies.NonAsciiAddress, settings);
        }

        if (t.Recipients.Count >= settings.MaxRecipients)
        {
            return new(SmtpReplies.TooManyRecipients, s);
        }

        // With an access map the policy decided relaying (To:, RelayTLS, Connect: RELAY); without one, local domains only.
        if (policy is { Refuses: true })
        {
            return new(policy.RelayDenied ? SmtpReplies.RelayingDenied(rcpt.ForwardPath.ToString(), s.Host) : policy.ToReply(), s);
        }

        if (policy is null && !settings.IsLocal(rcpt.ForwardPath.Domain))
        {
            return new(SmtpReplies.RelayingDenied(rcpt.ForwardPath.ToString(), s.Host), s);
        }

        var recipient = new Recipient(rcpt.ForwardPath, rcpt.Parameters);
        var discard = t.Discard || policy?.Kind == VerdictKind.Discard;
        return new(SmtpReplies.RecipientOk, s with { Transaction = t with { Recipients = [.. t.Recipients, recipient], Discard = discard } });
    }

    private static Decision Data(SessionState s, SessionSettings settings) => s.Transaction switch
    {
        null => Bad(s, SmtpReplies.NeedMail, settings),
        { BdatStarted: true } => Bad(s, SmtpReplies.DataAfterBdat, settings),
        { Recipients.Count: 0 } => Bad(s, SmtpReplies.NeedRcpt, settings),
        _ => new(SmtpReplies.StartMailInput, s, SessionAction.ReceiveData),
    };

    // RFC 3030 §2: the chunk follows the command whatever the answer, so it is always read.
    private static Decision Bdat(SessionState s, SessionSettings settings) => s.Transaction switch
    {
        null => Discard(Bad(s, SmtpReplies.NeedMail, settings)),
        { Recipients.Count: 0 } => Discard(Bad(s, SmtpReplies.NeedRcpt, settings)),
        var t => new(null, s with { Transaction = t with { BdatStarted = true } }, SessionAction.ReceiveChunk),
    };

    private static Decision Discard(Decision bad) =>
        bad.Action == SessionAction.Close ? bad : bad with { Action = SessionAction.DiscardChunk };

    /// <summary>Counts a bad command against the budget; past it the session ends with 421.</summary>
    public static Decision Bad(SessionState s, Reply reply, SessionSettings settings)
    {
        var count = s.BadCommands + 1;
        return count > settings.MaxBadCommands
            ? new(SmtpReplies.TooManyErrors(settings.Hostname), s with { BadCommands = count }, SessionAction.Close)
            : new(reply, s with { BadCommands = count });
    }
}
