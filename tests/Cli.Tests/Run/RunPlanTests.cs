using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Run;

namespace HyperSwarm.Cli.Tests.Run;

// How `hyperswarm run` divides cores, slots, time and steps (docs/cli.md, "hyperswarm run").
public sealed class RunPlanTests
{
    [Fact]
    public void Four_members_on_two_cores_share_them_and_get_steps_for_the_budget_left()
    {
        var plan = RunPlan.Derive(population: 4, workers: 2, cores: 2, budget: TimeSpan.FromMinutes(15), spent: TimeSpan.FromSeconds(30), singleMemberRate: 4.0);

        Assert.Equal(2, plan.Workers);
        Assert.Equal(2, plan.SlotsPerWorker);                              // every member trains at once
        Assert.Equal(1, plan.ThreadsPerMember);
        Assert.Equal(TimeSpan.FromSeconds(855), plan.MemberBudget);        // 900 − 30 spent − 15 scoring
        Assert.Equal(2.0, plan.StepsPerSecond, 12);                        // 4 members on 2 cores: half a core each
        Assert.Equal((long)(0.8 * 2.0 * 855), plan.TotalSteps);            // 1,368
        Assert.Equal(plan.TotalSteps / 6, plan.ReadySteps);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.SelectionInterval);    // 855/30 s, capped at 10
    }

    [Theory]
    [InlineData(3, 8, 3, 1)]   // never more workers than members
    [InlineData(5, 2, 2, 3)]   // ⌈5 ÷ 2⌉ slots, so all five run at once
    [InlineData(1, 1, 1, 1)]
    public void Workers_and_slots_hold_every_member_at_once(int population, int workers, int expectedWorkers, int expectedSlots)
    {
        var plan = RunPlan.Derive(population, workers, cores: 2, TimeSpan.FromMinutes(5), TimeSpan.Zero, singleMemberRate: 3);

        Assert.Equal(expectedWorkers, plan.Workers);
        Assert.Equal(expectedSlots, plan.SlotsPerWorker);
        Assert.True(plan.Workers * plan.SlotsPerWorker >= population);
    }

    [Fact]
    public void A_slow_member_or_a_short_budget_still_gets_the_minimum_steps_and_selection_period()
    {
        var plan = RunPlan.Derive(population: 2, workers: 1, cores: 2, budget: TimeSpan.FromSeconds(40), spent: TimeSpan.Zero, singleMemberRate: 0.01);

        Assert.Equal(40, plan.TotalSteps);
        Assert.Equal(20, plan.ReadySteps);
        Assert.Equal(TimeSpan.FromSeconds(2), plan.SelectionInterval);
    }

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(4, 2, 1)]   // more members than cores: still one thread each
    [InlineData(2, 16, 8)]
    public void Threads_divide_the_cores_among_the_members(int population, int cores, int expected) =>
        Assert.Equal(expected, RunPlan.ThreadsFor(population, cores));

    [Fact]
    public void A_budget_with_no_time_left_to_train_is_refused_in_one_sentence()
    {
        var e = Assert.Throws<UserError>(() => RunPlan.Derive(4, 2, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), 4));

        Assert.StartsWith("--budget 30s leaves no time to train after start-up (20 s) and scoring (15 s); give at least", e.Message, StringComparison.Ordinal);
        Assert.Single(e.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(0, 1, "--population must be at least 1, got 0.")]
    [InlineData(2, 0, "--workers must be at least 1, got 0.")]
    public void A_population_or_worker_count_below_one_is_refused(int population, int workers, string message)
    {
        var e = Assert.Throws<UserError>(() => RunPlan.Derive(population, workers, 2, TimeSpan.FromMinutes(5), TimeSpan.Zero, 4));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_start_line_names_members_workers_threads_and_steps()
    {
        var plan = RunPlan.Derive(population: 4, workers: 2, cores: 2, budget: TimeSpan.FromMinutes(15), spent: TimeSpan.FromSeconds(30), singleMemberRate: 4.0);

        Assert.Equal($"4 members on 2 local workers × 2 slots, 1 thread(s) each; ~2.0 steps/s per member → {plan.TotalSteps} steps in {DurationText.Format(plan.MemberBudget)}, selection every 10s after {plan.ReadySteps} steps",
            plan.ToString());
    }
}
