using Funnel.Data.Tests.Synthetic;

namespace Funnel.Data.Tests.Storage;

public sealed class DatasetTests(SmallWorld world) : IClassFixture<SmallWorld>
{
    [Fact]
    public async Task One_users_log_is_every_row_of_that_user_and_no_other()
    {
        // The first, a middle and the last user: the early stop at the next user must not cut a log short.
        foreach (var user in new[] { 0, world.Dataset.Users.Count / 2, world.Dataset.Users.Count - 1 })
        {
            var log = await world.Dataset.ReadUserAsync(user);
            Assert.Equal(world.Watches.Where(w => w.User == user), log.Watches);
            Assert.Equal(world.Searches.Where(s => s.User == user), log.Searches);
            Assert.Equal(world.Impressions.Where(m => m.User == user), log.Impressions);
        }
    }

    [Fact]
    public void A_user_id_maps_to_its_dense_index_and_an_unknown_one_to_none()
    {
        var last = world.Dataset.Users.Count - 1;
        Assert.Equal(last, world.Dataset.UserIndex(world.Dataset.Users[last].Id));
        Assert.Null(world.Dataset.UserIndex("no-such-user"));
    }
}
