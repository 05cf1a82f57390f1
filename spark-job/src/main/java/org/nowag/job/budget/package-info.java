/**
 * Model-wide budgets wired into the run (docs/budgets.md): loss curves computed on executors from the weights and the
 * calibration statistics (the driver receives the curves only), the allocation by the kernels' Lagrangian allocator
 * (or OWL, or uniform), and the per-tensor settings it feeds into the recipe. Knows the pruning plug-in (the methods
 * with a sparsity knob); the run itself stays method-agnostic.
 */
package org.nowag.job.budget;
