using HyperSwarm.Bench.Scaling;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class StepGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_round_completes_with_one_time_per_step_then_the_next_round_continues()
    {
        var gate = new StepGate();
        var first = gate.OpenAsync(2);
        var stepper = new Thread(() =>
        {
            for (var i = 0; i < 5; i++) gate.AfterWeightStep(); // 2 in the first round, 3 in the second
        });
        stepper.Start();

        var times = await first.WaitAsync(Patience);
        var second = await gate.OpenAsync(3).WaitAsync(Patience); // the thread was held, and goes on

        Assert.Equal(2, times.Length);
        Assert.Equal(3, second.Length);
        Assert.True(times[0] <= times[1] && times[1] <= second[0] && second[0] <= second[2]);
        gate.Release();
        Assert.True(stepper.Join(Patience));
    }

    [Fact]
    public void Release_lets_a_held_thread_go_and_every_later_step_pass()
    {
        var gate = new StepGate();
        var stepper = new Thread(() =>
        {
            gate.AfterWeightStep(); // held: no round is open
            gate.AfterWeightStep();
        });
        stepper.Start();

        gate.Release();

        Assert.True(stepper.Join(Patience));
    }

    [Fact]
    public void A_gate_open_for_a_round_cannot_be_opened_again()
    {
        var gate = new StepGate();
        _ = gate.OpenAsync(1);

        Assert.Throws<InvalidOperationException>(() => { _ = gate.OpenAsync(1); }); // it throws at once, before any task
    }
}
