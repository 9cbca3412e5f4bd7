import { handleApiRequest } from "@/server/api/handle-request";

export const dynamic = "force-dynamic";
export { handleApiRequest as GET, handleApiRequest as POST };
