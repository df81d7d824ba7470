using System.Text;

namespace BuildKitController.Testing.FakeKubernetes.Security;

/// <summary>Writes a kubeconfig (YAML) for the fake server.</summary>
internal static class KubeconfigWriter
{
    public static string Create(Uri server, string caPem, string? token, ClientCertificate? certificate, string? ns)
    {
        var builder = new StringBuilder();
        builder.Append("apiVersion: v1\n");
        builder.Append("kind: Config\n");
        builder.Append("clusters:\n");
        builder.Append("- name: fake\n");
        builder.Append("  cluster:\n");
        builder.Append("    server: ").Append(Quote(server.ToString().TrimEnd('/'))).Append('\n');
        builder.Append("    certificate-authority-data: ").Append(Base64(caPem)).Append('\n');
        builder.Append("users:\n");
        builder.Append("- name: fake-user\n");
        builder.Append("  user:\n");
        if (token is not null)
        {
            builder.Append("    token: ").Append(Quote(token)).Append('\n');
        }

        if (certificate is not null)
        {
            builder.Append("    client-certificate-data: ").Append(Base64(certificate.CertificatePem)).Append('\n');
            builder.Append("    client-key-data: ").Append(Base64(certificate.PrivateKeyPem)).Append('\n');
        }

        if (token is null && certificate is null)
        {
            builder.Append("    {}\n");
        }

        builder.Append("contexts:\n");
        builder.Append("- name: fake\n");
        builder.Append("  context:\n");
        builder.Append("    cluster: fake\n");
        builder.Append("    user: fake-user\n");
        if (ns is not null)
        {
            builder.Append("    namespace: ").Append(Quote(ns)).Append('\n');
        }

        builder.Append("current-context: fake\n");
        return builder.ToString();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
