using System.Reflection;
using Funnel.Serving.Store;
using StackExchange.Redis;

namespace Funnel.Serving.Tests.Store;

public sealed class RedisEventStoreTests
{
    [Fact]
    public async Task An_append_is_single_commands_and_never_a_transaction()
    {
        // A MULTI/EXEC torn by kill -9 broke every later replay of Garnet's append-only file
        // (TornTransactionTests); single commands cannot be torn that way.
        var calls = new List<string>();
        var store = new RedisEventStore(Recording<IConnectionMultiplexer>(calls, Recording<IDatabase>(calls, null)), RetentionPolicy.Unbounded, TimeProvider.System);

        await store.AppendAsync("u1", [new UserEvent(UserEventKind.Search, 1_700_000_000, Query: "cats")]);

        Assert.Equal(["GetDatabase", "SortedSetAddAsync", "StringSetAsync", "ListRightPushAsync", "ListTrimAsync"], calls);
    }

    [Fact]
    public async Task A_store_that_did_not_recover_refuses_reads_writes_and_readiness()
    {
        var calls = new List<string>();
        var store = new RedisEventStore(Recording<IConnectionMultiplexer>(calls, Recording<IDatabase>(calls, null)), RetentionPolicy.Unbounded, TimeProvider.System, "the store did not replay its whole append-only file");

        var write = await Assert.ThrowsAsync<RedisException>(() => store.AppendAsync("u1", [new UserEvent(UserEventKind.Search, 1, Query: "q")]));
        await Assert.ThrowsAsync<RedisException>(() => store.ReadAsync("u1"));
        await Assert.ThrowsAsync<RedisException>(store.ForgetAsync);

        Assert.Contains("did not replay", write.Message, StringComparison.Ordinal);
        Assert.False(await store.PingAsync());
        Assert.Equal(["GetDatabase"], calls);
    }

    /// <summary>A <typeparamref name="T"/> that records the names of the methods called on it and answers with defaults (<paramref name="inner"/> for methods returning an interface).</summary>
    private static T Recording<T>(List<string> calls, object? inner)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, RecordingProxy>();
        var recording = (RecordingProxy)(object)proxy;
        recording.Calls = calls;
        recording.Inner = inner;
        return proxy;
    }

#pragma warning disable CA1852 // DispatchProxy.Create needs a type it can derive from.
    internal class RecordingProxy : DispatchProxy
#pragma warning restore CA1852
    {
        public List<string> Calls { get; set; } = [];

        public object? Inner { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod!;
            Calls.Add(method.Name);
            var type = method.ReturnType;
            if (type == typeof(Task))
            {
                return Task.CompletedTask;
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var result = type.GetGenericArguments()[0];
                return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(result).Invoke(null, [result.IsValueType ? Activator.CreateInstance(result) : null]);
            }
            return type.IsInterface ? Inner : type.IsValueType ? Activator.CreateInstance(type) : null;
        }
    }
}
