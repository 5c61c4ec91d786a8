-- An attempt's draw in one row (AttemptDraw) instead of one row per question (AttemptQuestion).

-- CreateTable
CREATE TABLE "AttemptDraw" (
    "attemptId" TEXT NOT NULL PRIMARY KEY,
    "questions" TEXT NOT NULL,
    CONSTRAINT "AttemptDraw_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Every attempt's drawn questions move over, in their order: [["questionId", "optionOrder"], …]
INSERT INTO "AttemptDraw" ("attemptId", "questions")
SELECT "attemptId", json_group_array(json_array("questionId", "optionOrder") ORDER BY "position")
  FROM "AttemptQuestion"
 GROUP BY "attemptId";

-- DropTable
DROP TABLE "AttemptQuestion";
