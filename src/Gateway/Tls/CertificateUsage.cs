namespace Gateway.Tls;

/// <summary>What a leaf certificate may be used for; becomes its extended key usage (serverAuth, clientAuth).</summary>
[Flags]
internal enum CertificateUsage
{
    Server = 1,
    Client = 2,
}
