-- An attempt's draw in one row (AttemptDraw) instead of one row per question (AttemptQuestion).

-- CreateTable
CREATE TABLE "AttemptDraw" (
    "attemptId" TEXT NOT NULL,
    "questions" TEXT NOT NULL,

    CONSTRAINT "AttemptDraw_pkey" PRIMARY KEY ("attemptId")
);

-- Every attempt's drawn questions move over, in their order: [["questionId", "optionOrder"], …]
INSERT INTO "AttemptDraw" ("attemptId", "questions")
SELECT "attemptId", json_agg(json_build_array("questionId", "optionOrder") ORDER BY "position")::text
  FROM "AttemptQuestion"
 GROUP BY "attemptId";

-- AddForeignKey
ALTER TABLE "AttemptDraw" ADD CONSTRAINT "AttemptDraw_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "Attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- DropForeignKey
ALTER TABLE "AttemptQuestion" DROP CONSTRAINT "AttemptQuestion_attemptId_fkey";

-- DropTable
DROP TABLE "AttemptQuestion";
