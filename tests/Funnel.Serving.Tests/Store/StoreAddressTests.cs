using System.Net;
using System.Net.Sockets;
using Funnel.Serving.Store;

namespace Funnel.Serving.Tests.Store;

public sealed class StoreAddressTests
{
    [Fact]
    public void A_unix_address_names_the_socket_and_keeps_the_options_after_it()
    {
        var options = StoreAddress.Options("unix:///run/funnel/garnet.sock,password=secret,connectTimeout=2000");

        Assert.Equal("/run/funnel/garnet.sock", Assert.IsType<UnixDomainSocketEndPoint>(Assert.Single(options.EndPoints)).ToString());
        Assert.Equal("secret", options.Password);
        Assert.Equal(2000, options.ConnectTimeout);
    }

    [Fact]
    public void A_redis_address_lists_its_hosts_and_a_connection_string_is_taken_as_it_is()
    {
        var cluster = StoreAddress.Options("redis://10.0.0.1:7000,10.0.0.2:7001");
        var plain = StoreAddress.Options("127.0.0.1:6379,password=p");

        Assert.Equal(["10.0.0.1:7000", "10.0.0.2:7001"], cluster.EndPoints.Select(e => ((IPEndPoint)e).ToString()));
        Assert.Equal("p", plain.Password);
    }

    [Theory]
    [InlineData("unix:///run/funnel/garnet.sock")]
    [InlineData("unix:///run/funnel/garnet.sock,")]
    public void A_unix_address_needs_no_options(string store)
    {
        var options = StoreAddress.Options(store);

        Assert.Equal("/run/funnel/garnet.sock", Assert.Single(options.EndPoints).ToString());
        Assert.Null(options.Password);
    }

    [Fact]
    public void A_relative_socket_path_is_refused_with_the_form_expected_and_without_the_password()
    {
        var error = Assert.Throws<ArgumentException>(() => StoreAddress.Options("unix://garnet.sock,password=secret"));

        Assert.Contains("--store: expected unix:///ABSOLUTE/PATH/TO/SOCKET, got the socket path 'garnet.sock'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
