import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** A form's submit and cancel buttons, side by side. */
export function FormActions({
  submit,
  pending,
  onCancel,
  className = "",
}: {
  submit: ReactNode;
  pending: boolean;
  onCancel: () => void;
  className?: string;
}) {
  return (
    <div className={`flex gap-2 ${className}`}>
      <Button type="submit" disabled={pending}>
        {submit}
      </Button>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
