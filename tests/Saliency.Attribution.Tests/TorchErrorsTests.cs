using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

public sealed class TorchErrorsTests
{
    [Fact]
    public void An_error_raised_inside_a_TorchScript_module_is_told_by_its_own_line()
    {
        const string message = "The following operation failed in the TorchScript interpreter.\nTraceback of TorchScript, serialized code (most recent call last):\n" +
            "  File \"code/__torch__.py\", line 9, in forward\n      ops.prim.RaiseException(\"this model always fails\", \"builtins.RuntimeError\")\n" +
            "      ~~~~~~~~~~~~~~~~~~~~~~~ <--- HERE\n\nbuiltins.RuntimeError: this model always fails\n";

        Assert.Equal("RuntimeError: this model always fails", TorchErrors.Brief(message));
    }

    [Fact]
    public void Any_other_error_is_told_by_its_first_line()
    {
        Assert.Equal("shape '[2, 3]' is invalid for input of size 4", TorchErrors.Brief("shape '[2, 3]' is invalid for input of size 4\nException raised from ...\nframe #0: ..."));
    }
}
