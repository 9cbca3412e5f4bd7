import type { RouterOutputs } from "@/trpc/router-outputs";

type Training = NonNullable<NonNullable<RouterOutputs["models"]["get"]["metrics"]>["training"]>;

/**
 * How a hybrid version was fit, in an admin's terms: the settings cross-validation picked (and on what), and a
 * warning when the labels were too few to calibrate its probabilities honestly.
 */
export function FitSummary({ training }: { training: Training | undefined }) {
  const selection = training?.selection;
  const calibration = training?.calibrationMethod;
  if (!selection && !calibration) return null;
  const how =
    selection?.mode === "folds"
      ? `${selection.folds}-fold cross-validation`
      : selection?.mode === "holdout"
        ? "a held-out part of the training labels"
        : "fixed settings";
  return (
    <div className="space-y-1 text-sm text-zinc-600">
      {selection ? (
        <p>
          Regularization C = {selection.C}
          {selection.blockWeight !== null ? <>, n-gram block weight {selection.blockWeight}</> : null}, chosen by {how}
          {selection.grid.length > 1 ? <> among {selection.grid.length} settings (out-of-fold log-loss)</> : null}
          {selection.members && selection.members.length > 1 ? (
            <>
              , averaged with the {selection.members.length - 1} next most regularized settings within one standard
              error
            </>
          ) : null}
          {training?.blocks ? (
            <>
              {" "}
              · {training.blocks.sparse.toLocaleString()} n-gram features
              {training.blocks.dense ? <> + {training.blocks.dense}-d vectors</> : null}
            </>
          ) : null}
          .
        </p>
      ) : null}
      {calibration?.tooLittleData ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          Trained on too little data to calibrate: probabilities are held back toward uniform
          {calibration.cap !== null ? <> (no answer claims more than {(calibration.cap * 100).toFixed(0)}%)</> : null}.
          Label a few more examples per class for confident answers.
        </p>
      ) : calibration ? (
        <p>Probabilities calibrated on out-of-fold predictions (temperature {calibration.temperature.toFixed(2)}).</p>
      ) : null}
    </div>
  );
}
