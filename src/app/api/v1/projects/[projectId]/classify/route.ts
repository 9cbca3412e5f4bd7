import { handleApiRequest } from "@/server/api/handle-request";

export const dynamic = "force-dynamic";
// Through the one HTTP entry point, so the cross-site check, client address and outage answers apply here too.
export { handleApiRequest as POST };
