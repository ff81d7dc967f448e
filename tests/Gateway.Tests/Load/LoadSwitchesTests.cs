using System.Net;
using Gateway.Cli;
using Gateway.Load;

namespace Gateway.Tests.Load;

public sealed class LoadSwitchesTests
{
    [Fact]
    public void A_bare_target_gets_every_default()
    {
        var plan = LoadSwitches.Parse(["127.0.0.1:2525"]);

        Assert.Equal(new HostPort("127.0.0.1", 2525), plan.Target);
        Assert.Equal(10, plan.Concurrency);
        Assert.Equal(LoadSwitches.DefaultMessages, plan.Messages);
        Assert.Equal(1000, plan.Messages);
        Assert.Null(plan.Duration);
        Assert.Equal(2048, plan.Size);
        Assert.Equal(1, plan.PerConnection);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.ReplyTimeout);
        Assert.Equal(TimeSpan.Zero, plan.Warmup);
        Assert.False(plan.StartTls);
        Assert.Null(plan.CertFile);
        Assert.Null(plan.KeyFile);
        Assert.Null(plan.CaFile);
        Assert.Null(plan.Rate);
        Assert.Equal("load@load.test", plan.From);
        Assert.Equal("load@localhost", plan.To);
        Assert.Equal("load.test", plan.Helo);
        Assert.Empty(plan.SourceAddresses);
        Assert.Null(plan.JsonFile);
    }

    [Fact]
    public void A_target_without_a_port_gets_port_25()
    {
        var plan = LoadSwitches.Parse(["mx.example"]);

        Assert.Equal(new HostPort("mx.example", 25), plan.Target);
    }

    [Fact]
    public void The_target_may_be_named_with_target()
    {
        var positional = LoadSwitches.Parse(["127.0.0.1:2525"]);

        var named = LoadSwitches.Parse(["--target", "127.0.0.1:2525"]);
        var inline = LoadSwitches.Parse(["--target=127.0.0.1:2525"]);

        Assert.Equal(positional, named with { SourceAddresses = positional.SourceAddresses });
        Assert.Equal(positional.Target, inline.Target);
    }

    [Fact]
    public void A_target_both_named_and_positional_is_refused()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["--target", "127.0.0.1:2525", "127.0.0.1:2526"]));

        Assert.Contains("127.0.0.1:2526", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_positional_targets_are_refused()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["127.0.0.1:2525", "127.0.0.1:2526"]));

        Assert.Contains("127.0.0.1:2526", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_target_is_refused_naming_target()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["-c", "5"]));

        Assert.Contains("--target", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:0", "'0' is not a port number (1-65535)")]
    [InlineData("127.0.0.1:65536", "'65536' is not a port number (1-65535)")]
    [InlineData("127.0.0.1:x", "'x' is not a port number (1-65535)")]
    [InlineData(":25", "':25' names no host")]
    public void A_bad_target_is_refused_naming_the_bad_part(string target, string reason)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse([target]));

        Assert.Equal(reason, error.Message);
    }

    [Theory]
    [InlineData("-n")]
    [InlineData("--messages")]
    public void Messages_is_given_with_n_or_messages(string name)
    {
        var plan = LoadSwitches.Parse(["t:25", name, "500"]);

        Assert.Equal(500, plan.Messages);
        Assert.Null(plan.Duration);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.Timeout);
    }

    [Fact]
    public void N_and_messages_together_are_refused_naming_both()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "-n", "5", "--messages", "5"]));

        Assert.Contains("-n", error.Message, StringComparison.Ordinal);
        Assert.Contains("--messages", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("1000000001")]
    public void A_message_count_out_of_range_is_refused_naming_n(string count)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "-n", count]));

        Assert.Contains("-n", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-c")]
    [InlineData("--concurrency")]
    public void Concurrency_is_given_with_c_or_concurrency(string name)
    {
        var plan = LoadSwitches.Parse(["t:25", name, "64"]);

        Assert.Equal(64, plan.Concurrency);
    }

    [Fact]
    public void C_and_concurrency_together_are_refused()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "-c", "5", "--concurrency", "5"]));

        Assert.Contains("-c", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("ten")]
    public void A_concurrency_out_of_range_is_refused_naming_c(string count)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "-c", count]));

        Assert.Contains("-c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_connection_is_parsed_and_zero_is_refused()
    {
        var plan = LoadSwitches.Parse(["t:25", "--per-connection", "7"]);
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--per-connection", "0"]));

        Assert.Equal(7, plan.PerConnection);
        Assert.Contains("--per-connection", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("300", 300)]
    [InlineData("4k", 4096)]
    [InlineData("4K", 4096)]
    [InlineData("1m", 1048576)]
    [InlineData("1M", 1048576)]
    [InlineData("256m", 268435456)]
    [InlineData("262144k", 268435456)]
    [InlineData("268435456", 268435456)]
    public void Size_takes_bytes_or_a_k_or_m_suffix(string size, int expected)
    {
        var plan = LoadSwitches.Parse(["t:25", "--size", size]);

        Assert.Equal(expected, plan.Size);
    }

    [Theory]
    [InlineData("257m")]
    [InlineData("268435457")]
    [InlineData("262145k")]
    [InlineData("1g")]
    [InlineData("k")]
    [InlineData("-1")]
    [InlineData("1.5k")]
    [InlineData("abc")]
    [InlineData("9223372036854775807k")]    // n * 1024 overflows a long
    [InlineData("17592186044416m")]         // n * 2^20 is 2^64, which wraps to 0
    [InlineData("99999999999999999999")]
    public void A_size_above_256m_or_not_a_size_is_refused_naming_size(string size)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--size", size]));

        Assert.Contains("--size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_bounds_the_run_instead_of_the_default_count()
    {
        var plan = LoadSwitches.Parse(["t:25", "--duration", "30"]);

        Assert.Null(plan.Messages);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Duration);
        Assert.Equal(TimeSpan.FromSeconds(90), plan.Timeout);
    }

    [Fact]
    public void The_timeout_of_a_duration_run_is_warmup_plus_duration_plus_60_seconds()
    {
        var plan = LoadSwitches.Parse(["t:25", "--duration", "30", "--warmup", "5"]);

        Assert.Equal(TimeSpan.FromSeconds(5), plan.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(95), plan.Timeout);
    }

    [Fact]
    public void A_count_and_a_duration_may_both_bound_the_run()
    {
        var plan = LoadSwitches.Parse(["t:25", "-n", "100", "--duration", "20"]);

        Assert.Equal(100, plan.Messages);
        Assert.Equal(TimeSpan.FromSeconds(20), plan.Duration);
        Assert.Equal(TimeSpan.FromSeconds(80), plan.Timeout);
    }

    [Fact]
    public void A_count_run_keeps_the_default_timeout_whatever_the_warmup()
    {
        var plan = LoadSwitches.Parse(["t:25", "-n", "100", "--warmup", "30"]);

        Assert.Equal(LoadSwitches.DefaultCountTimeout, plan.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Warmup);
    }

    [Fact]
    public void An_explicit_timeout_wins_over_both_defaults()
    {
        var count = LoadSwitches.Parse(["t:25", "--timeout", "42"]);
        var duration = LoadSwitches.Parse(["t:25", "--duration", "30", "--timeout", "42"]);

        Assert.Equal(TimeSpan.FromSeconds(42), count.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(42), duration.Timeout);
    }

    [Theory]
    [InlineData("--duration", "1.5", 1500)]
    [InlineData("--duration", "0.25", 250)]
    [InlineData("--duration", "86400", 86400000)]
    [InlineData("--warmup", "0", 0)]
    [InlineData("--warmup", "0.5", 500)]
    [InlineData("--warmup", "3600", 3600000)]
    [InlineData("--reply-timeout", "2.5", 2500)]
    [InlineData("--timeout", "0.75", 750)]
    public void Seconds_may_have_decimals(string name, string seconds, int milliseconds)
    {
        string[] args = name == "--duration" ? ["t:25", name + "=" + seconds] : ["t:25", "--duration", "10", name + "=" + seconds];

        var plan = LoadSwitches.Parse(args);

        var value = name switch
        {
            "--duration" => plan.Duration!.Value,
            "--warmup" => plan.Warmup,
            "--reply-timeout" => plan.ReplyTimeout,
            _ => plan.Timeout,
        };
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("--duration", "0")]
    [InlineData("--duration", "0.0")]
    [InlineData("--duration", "-1")]
    [InlineData("--duration", "86401")]
    [InlineData("--duration", "1e3")]
    [InlineData("--duration", "1,5")]
    [InlineData("--duration", "NaN")]
    [InlineData("--duration", "Infinity")]
    [InlineData("--warmup", "-1")]
    [InlineData("--warmup", "3601")]
    [InlineData("--reply-timeout", "0")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "604801")]
    public void Seconds_out_of_range_are_refused_naming_the_switch(string name, string seconds)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", name, seconds]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_zero_is_refused_but_warmup_zero_is_accepted()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--duration", "0"]));
        var plan = LoadSwitches.Parse(["t:25", "--duration", "10", "--warmup", "0"]);

        Assert.Contains("--duration", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, plan.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(70), plan.Timeout);
    }

    [Fact]
    public void Starttls_with_cert_key_and_cafile_is_accepted()
    {
        var plan = LoadSwitches.Parse(["t:25", "--starttls", "--cert", "c.pem", "--key", "k.pem", "--cafile", "ca.pem"]);

        Assert.True(plan.StartTls);
        Assert.Equal("c.pem", plan.CertFile);
        Assert.Equal("k.pem", plan.KeyFile);
        Assert.Equal("ca.pem", plan.CaFile);
    }

    [Fact]
    public void Starttls_alone_is_accepted()
    {
        var plan = LoadSwitches.Parse(["t:25", "--starttls"]);

        Assert.True(plan.StartTls);
        Assert.Null(plan.CertFile);
    }

    [Fact]
    public void Starttls_takes_no_value()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--starttls=yes"]));

        Assert.Contains("--starttls", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cert", "c.pem")]
    [InlineData("--key", "k.pem")]
    public void Cert_without_key_or_key_without_cert_is_refused(string name, string file)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--starttls", name, file]));

        Assert.Contains("--cert", error.Message, StringComparison.Ordinal);
        Assert.Contains("--key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cert", "c.pem", "--key", "k.pem")]
    [InlineData("--cafile", "ca.pem", "-c", "1")]
    public void Cert_or_cafile_without_starttls_is_refused_naming_starttls(string name, string value, string otherName, string otherValue)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", name, value, otherName, otherValue]));

        Assert.Contains("--starttls", error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_angle_brackets_alone_is_the_null_sender()
    {
        var plan = LoadSwitches.Parse(["t:25", "--from", "<>"]);

        Assert.Equal("", plan.From);
    }

    [Theory]
    [InlineData("--from", "a@b.example", "a@b.example")]
    [InlineData("--from", "<a@b.example>", "a@b.example")]
    [InlineData("--to", "rcpt@localhost", "rcpt@localhost")]
    [InlineData("--to", "<rcpt@localhost>", "rcpt@localhost")]
    public void Mailboxes_are_taken_with_or_without_angle_brackets(string name, string value, string expected)
    {
        var plan = LoadSwitches.Parse(["t:25", name, value]);

        Assert.Equal(expected, name == "--from" ? plan.From : plan.To);
    }

    [Theory]
    [InlineData("--to", "<>")]
    [InlineData("--to", "a b@localhost")]
    [InlineData("--to", "<a b@localhost>")]
    [InlineData("--to", "a<b@localhost")]
    [InlineData("--to", "a@localhost>")]
    [InlineData("--to", "a\tb@localhost")]
    [InlineData("--from", "a b@localhost")]
    [InlineData("--from", "<<>>")]
    public void A_mailbox_with_spaces_brackets_or_controls_is_refused_naming_the_switch(string name, string value)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", name, value]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mailbox_longer_than_a_path_allows_is_refused()
    {
        var local = new string('a', Gateway.Protocol.Limits.Path);

        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--to", local + "@localhost"]));

        Assert.Contains("--to", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("200", 200)]
    [InlineData("1000000", 1000000)]
    public void Rate_is_messages_per_second(string rate, double expected)
    {
        var plan = LoadSwitches.Parse(["t:25", "--rate", rate]);

        Assert.Equal(expected, plan.Rate);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-5")]
    [InlineData("1000001")]
    [InlineData("fast")]
    public void A_rate_of_zero_or_out_of_range_is_refused_naming_rate(string rate)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--rate", rate]));

        Assert.Contains("--rate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("--Target")]
    public void An_unknown_switch_is_refused_naming_it(string name)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", name, "1"]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_switch_given_twice_is_refused()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--size", "1k", "--size", "2k"]));

        Assert.Contains("--size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_switch_without_its_value_is_refused()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--size"]));

        Assert.Contains("--size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_remaining_switches_are_carried_into_the_plan()
    {
        var plan = LoadSwitches.Parse(
            ["t:25", "--helo", "client.example", "--json", "out.json", "--reply-timeout", "5", "--source-addresses", "127.0.0.2-127.0.0.3"]);

        Assert.Equal("client.example", plan.Helo);
        Assert.Equal("out.json", plan.JsonFile);
        Assert.Equal(TimeSpan.FromSeconds(5), plan.ReplyTimeout);
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")], plan.SourceAddresses);
    }

    [Fact]
    public void Bad_source_addresses_are_refused_naming_the_switch()
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--source-addresses", "nonsense"]));

        Assert.Contains("--source-addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hold_sends_no_mail_and_holds_until_interrupted_within_an_hour()
    {
        var plan = LoadSwitches.Parse(["t:25", "--hold", "-c", "500", "--starttls"]);

        Assert.True(plan.Hold);
        Assert.Null(plan.Messages);
        Assert.Null(plan.Duration);
        Assert.Equal(LoadSwitches.DefaultHoldTimeout, plan.Timeout);
        Assert.Equal(500, plan.Concurrency);
    }

    [Fact]
    public void Hold_with_a_duration_gets_ten_minutes_to_open_its_sessions()
    {
        var plan = LoadSwitches.Parse(["t:25", "--hold", "--duration", "30"]);

        Assert.Equal(TimeSpan.FromSeconds(30), plan.Duration);
        Assert.Equal(TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(10), plan.Timeout);
    }

    [Theory]
    [InlineData("-n", "5")]
    [InlineData("--messages", "5")]
    [InlineData("--size", "1k")]
    [InlineData("--per-connection", "2")]
    [InlineData("--rate", "10")]
    [InlineData("--from", "a@b.example")]
    [InlineData("--to", "a@b.example")]
    [InlineData("--warmup", "1")]
    public void Hold_refuses_the_switches_that_shape_mail_naming_them(string name, string value)
    {
        var error = Assert.Throws<UsageError>(() => LoadSwitches.Parse(["t:25", "--hold", name, value]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains("--hold", error.Message, StringComparison.Ordinal);
    }
}
