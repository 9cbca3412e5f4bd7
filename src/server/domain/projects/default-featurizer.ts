/** New projects embed with the offline GloVe featurizer unless an admin picks another. */
export { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
