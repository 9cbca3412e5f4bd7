// The two demo projects seeded on first run. Cat/dog prompts are the ones from Lamini's llm-classifier README.

export const catsVsDogs = {
  name: "Cats vs dogs",
  description:
    "Lamini's example: a classifier defined only by two prompts, no data yet. Configure an LLM to generate examples, or add some texts.",
  taskType: "binary" as const,
  classes: [
    {
      name: "cat",
      description:
        "Cats are generally more independent and aloof than dogs, who are often more social and affectionate. Cats are also more territorial and may be more aggressive when defending their territory.  Cats are self-grooming animals, using their tongues to keep their coats clean and healthy. Cats use body language and vocalizations, such as meowing and purring, to communicate.",
    },
    {
      name: "dog",
      description:
        "Dogs are more pack-oriented and tend to be more loyal to their human family.  Dogs, on the other hand, often require regular grooming from their owners, including brushing and bathing. Dogs use body language and barking to convey their messages. Dogs are also more responsive to human commands and can be trained to perform a wide range of tasks.",
    },
  ],
};

export const newsTopics = {
  name: "News topics",
  description:
    "AG News: sort short news items (headline + lead) into four topics. 400 real texts, a few labeled, the rest waiting in the pool.",
  taskType: "multiclass" as const,
  classes: [
    {
      name: "World",
      description:
        "International and national affairs: governments, elections, diplomacy, wars and conflicts, terrorism, disasters and humanitarian crises. A story about a country's politics belongs here even when it mentions money, unless it is mainly about markets or a company.",
    },
    {
      name: "Sports",
      description:
        "Sport and athletes: games, matches, scores, tournaments (Olympics, World Cup, NFL, NBA, MLB, NHL, tennis, golf, cycling…), transfers, contracts, injuries, coaches and team management.",
    },
    {
      name: "Business",
      description:
        "Companies, markets and the economy: earnings, mergers and acquisitions, stock, currency and oil prices, interest rates, jobs and trade figures, industry regulation and corporate leadership. A tech company's results or lawsuits go here.",
    },
    {
      name: "Sci/Tech",
      description:
        "Science and technology: computers, software, the internet, security flaws, telecoms, gadgets and games, space exploration, scientific research and health science. A tech company's products go here; its finances go to Business.",
    },
  ],
  /** How many texts of each class keep their dataset label at seeding time. */
  labeledPerClass: 3,
};
