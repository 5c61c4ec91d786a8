// Question import at the largest file the app accepts: 5,000 questions, as .xlsx and as CSV.
//
// Generates 5,000 realistic Vietnamese questions (the twelve CCHC topics, situations set in the
// province's communes, 4 options, sometimes 5 or 6), writes them as a workbook with the app's own
// writeQuestionWorkbook and as a UTF-8 CSV (BOM, quoted where needed), then measures importDirect
// (parse + validation + duplicate check + one-transaction insert) into two fresh banks.
// The runner (bench/run.mjs) provides a migrated, seeded database in DATABASE_URL.
import { parse as parseCsvSync } from "csv-parse/sync";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { DIFFICULTY_LABEL_VI, OPTION_LETTERS, normalizeStem, type Difficulty, type QuestionDraft } from "~/domain/questions";
import { vi } from "~/i18n/vi";
import { createBank } from "~/models/question-bank.server";
import { importDirect, parseUpload, type Upload } from "~/models/question-import.server";
import { upsertStaff } from "~/models/user.server";
import { db, disconnectDb } from "~/utils/db.server";
import { writeQuestionWorkbook } from "~/utils/question-workbook.server";

const COUNT = 5000;
const SEED = 20250701;

// ---------------------------------------------------------------------------------------------
// Deterministic data

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

interface Commune {
  name: string; // "xã Ia Grai", "phường Quy Nhơn"
  oldDistricts: string[];
}

const communes: Commune[] = (
  parseCsvSync(fs.readFileSync(fileURLToPath(new URL("../prisma/data/gialai-communes.csv", import.meta.url)), "utf8"), { columns: true }) as {
    name: string;
    type: string;
    old_districts: string;
  }[]
).map((r) => ({
  name: `${r.type === "phuong" ? "phường" : r.type === "dac_khu" ? "đặc khu" : "xã"} ${r.name}`,
  oldDistricts: r.old_districts.split(";").map((s) => s.trim()).filter(Boolean),
}));
const oldDistricts = [...new Set(communes.flatMap((c) => c.oldDistricts))];

const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh"];
const JRAI_BAHNAR = ["Ksor", "Siu", "Rơ Châm", "Rơ Mah", "Kpă", "Nay", "Puih", "Rah Lan", "Đinh Văn", "Rơ Lan"];
const MALE = { middle: ["Văn", "Đức", "Hữu", "Quốc", "Minh", "Công", "Thanh"], given: ["An", "Bình", "Cường", "Dũng", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tuấn", "Vinh", "Thắng", "Lực"] };
const FEMALE = { middle: ["Thị", "Thu", "Ngọc", "Minh", "Thanh", "Kim"], given: ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo", "Trang", "Uyên", "Yến", "Nhung", "Phượng"] };
const HIGHLAND_GIVEN = { male: ["Blơng", "Djiu", "Hyin", "Thuých", "Plơi", "Kơl", "Hiao"], female: ["H'Bia", "H'Mai", "H'Hen", "Nhí", "H'Lan", "Hgơi"] };

function person(): string {
  const female = rand() < 0.5;
  const young = rand() < 0.35;
  const title = female ? (young ? "chị" : "bà") : young ? "anh" : "ông";
  if (rand() < 0.25) return `${title} ${pick(JRAI_BAHNAR)} ${pick(female ? HIGHLAND_GIVEN.female : HIGHLAND_GIVEN.male)}`;
  const names = female ? FEMALE : MALE;
  return `${title} ${pick(SURNAMES)} ${pick(names.middle)} ${pick(names.given)}`;
}

const PROCEDURES = [
  "đăng ký khai sinh",
  "đăng ký kết hôn",
  "đăng ký khai tử",
  "đăng ký thường trú",
  "đăng ký tạm trú",
  "cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
  "đăng ký biến động đất đai",
  "cấp Phiếu lý lịch tư pháp",
  "đăng ký hộ kinh doanh",
  "cấp giấy phép xây dựng nhà ở riêng lẻ",
  "chứng thực bản sao từ bản chính",
  "trích lục bản sao giấy tờ hộ tịch",
  "xác nhận tình trạng hôn nhân",
  "đăng ký nhận cha, mẹ, con",
  "thay đổi, cải chính thông tin hộ tịch",
  "trợ cấp xã hội hằng tháng cho người cao tuổi",
  "hỗ trợ chi phí mai táng",
  "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
  "cấp đổi giấy phép lái xe",
  "cấp giấy phép kinh doanh bán lẻ sản phẩm rượu",
];
const FIELDS = [
  "quản lý chợ",
  "thu gom, xử lý rác thải sinh hoạt",
  "quản lý trật tự xây dựng",
  "phòng, chống thiên tai",
  "bảo vệ rừng cộng đồng",
  "trật tự an toàn giao thông nông thôn",
  "quản lý nghĩa trang",
  "hỗ trợ phát triển sản xuất nông nghiệp",
  "giữ gìn cồng chiêng và văn hóa truyền thống",
  "quản lý hoạt động du lịch cộng đồng",
];
const DEPARTMENTS = [
  "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
  "Phòng Kinh tế",
  "Phòng Văn hóa - Xã hội",
  "Trung tâm Phục vụ hành chính công",
  "bộ phận tư pháp - hộ tịch",
  "bộ phận địa chính - xây dựng",
];
const UNITS = ["Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở", "Trạm Y tế", "Trung tâm Văn hóa - Thể thao", "Ban Quản lý chợ"];
const VILLAGES = ["thôn 1", "thôn 2", "thôn 3", "thôn 5", "thôn 7", "làng Plei Ơi", "làng Ia Nueng", "làng Đê Kjiêng", "buôn Ma Giai", "tổ dân phố 4", "khu phố Chánh Thạnh", "thôn Phú Lương"];
const YEARS = [2025, 2026, 2027, 2028, 2029, 2030];
const INDICES = [
  { name: "Chỉ số cải cách hành chính (PAR INDEX)", by: "Bộ Nội vụ" },
  { name: "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)", by: "Bộ Nội vụ" },
  { name: "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", by: "Liên đoàn Thương mại và Công nghiệp Việt Nam (VCCI)" },
  { name: "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)", by: "Chương trình Phát triển Liên hợp quốc (UNDP) và các đối tác" },
];
const AGENCIES = [
  "Bộ Nội vụ",
  "Liên đoàn Thương mại và Công nghiệp Việt Nam (VCCI)",
  "Chương trình Phát triển Liên hợp quốc (UNDP) và các đối tác",
  "Văn phòng Chính phủ",
  "Bộ Tài chính",
  "Tổng cục Thống kê",
  "Bộ Khoa học và Công nghệ",
];

interface Ctx {
  commune: Commune;
  c: string;
  p: string;
  proc: string;
  field: string;
  dept: string;
  unit: string;
  village: string;
  year: number;
}

interface Template {
  topic: string;
  stem: (x: Ctx) => string;
  correct: (x: Ctx) => string;
  wrong: (x: Ctx) => string[];
  explanation: (x: Ctx) => string;
  source: string;
  /** When some contexts do not fit the template (e.g. a commune formed from several districts). */
  fits?: (x: Ctx) => boolean;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const T = {
  the: "Cải cách thể chế",
  tthc: "Cải cách thủ tục hành chính",
  bm: "Cải cách tổ chức bộ máy",
  cv: "Cải cách chế độ công vụ",
  tc: "Cải cách tài chính công",
  cds: "Chính phủ điện tử, Chính phủ số",
  hc: "Chính quyền địa phương hai cấp",
  da06: "Đề án 06",
  nq57: "Nghị quyết 57-NQ/TW",
  cs: "Các chỉ số đánh giá",
  ct23: "Chỉ thị 23/CT-TTg",
  mc: "Một cửa, dịch vụ công trực tuyến",
} as const;

const TEMPLATES: Template[] = [
  // Cải cách thể chế
  {
    topic: T.the,
    stem: (x) => `Khi Ủy ban nhân dân ${x.c} dự thảo quyết định quy định chi tiết về ${x.field} trong năm ${x.year}, cơ quan soạn thảo phải bảo đảm yêu cầu nào?`,
    correct: () => "Phù hợp với Hiến pháp, thống nhất với hệ thống pháp luật và đúng thẩm quyền được giao",
    wrong: () => [
      "Chỉ cần được Chủ tịch Ủy ban nhân dân đồng ý bằng lời nói",
      "Không cần lấy ý kiến của đối tượng chịu tác động",
      "Được đăng trên mạng xã hội trước khi trình ký",
      "Do một công chức chuyên môn tự quyết định toàn bộ nội dung",
      "Ban hành càng sớm càng tốt, không cần thẩm định",
      "Có hiệu lực trước ngày ký ban hành để kịp triển khai",
    ],
    explanation: (x) => `Văn bản quy phạm pháp luật của chính quyền ${x.c} phải hợp hiến, hợp pháp, thống nhất với hệ thống pháp luật và được ban hành đúng thẩm quyền, đúng trình tự, thủ tục.`,
    source: "Luật Ban hành văn bản quy phạm pháp luật ngày 19/02/2025",
  },
  {
    topic: T.the,
    stem: (x) => `Khi rà soát văn bản năm ${x.year}, ${x.p} – công chức ${x.c} – phát hiện quyết định về ${x.field} có nội dung trái luật. Việc cần làm là gì?`,
    correct: () => "Báo cáo người có thẩm quyền để kịp thời sửa đổi, bổ sung, thay thế hoặc bãi bỏ",
    wrong: () => [
      "Tiếp tục áp dụng cho đến khi có người dân khiếu nại",
      "Tự ý sửa nội dung văn bản đã ban hành",
      "Giữ bí mật để không ảnh hưởng đến kết quả thi đua",
      "Chỉ ghi chú vào sổ theo dõi, không báo cáo",
      "Đề nghị người dân không thực hiện văn bản đó",
      "Chờ đến kỳ rà soát năm sau mới xử lý",
    ],
    explanation: () => `Rà soát, hệ thống hóa văn bản nhằm phát hiện nội dung trái pháp luật, mâu thuẫn, chồng chéo để cơ quan có thẩm quyền kịp thời xử lý theo quy định.`,
    source: "Luật Ban hành văn bản quy phạm pháp luật ngày 19/02/2025",
  },
  {
    topic: T.the,
    stem: (x) => `Người dân ${x.village}, ${x.c} có thể góp ý dự thảo quy định về ${x.field} năm ${x.year} bằng cách nào?`,
    correct: () => "Góp ý trực tiếp hoặc qua cổng thông tin điện tử theo thông báo lấy ý kiến của cơ quan soạn thảo",
    wrong: () => [
      "Chỉ đại biểu Hội đồng nhân dân mới được góp ý",
      "Người dân không được góp ý dự thảo văn bản",
      "Chỉ được góp ý sau khi văn bản đã có hiệu lực",
      "Phải nộp lệ phí mới được góp ý",
      "Chỉ được góp ý thông qua trưởng thôn, không được trực tiếp",
      "Góp ý bằng tin nhắn cho cá nhân cán bộ soạn thảo",
    ],
    explanation: () => `Dự thảo văn bản có tác động đến người dân phải được lấy ý kiến công khai; cơ quan soạn thảo tiếp thu, giải trình ý kiến góp ý.`,
    source: "Luật Ban hành văn bản quy phạm pháp luật ngày 19/02/2025",
  },
  // Cải cách thủ tục hành chính
  {
    topic: T.tthc,
    stem: (x) => `${cap(x.p)} ở ${x.c} nộp hồ sơ ${x.proc} nhưng còn thiếu giấy tờ. Công chức tiếp nhận phải làm gì?`,
    correct: () => "Hướng dẫn một lần, đầy đủ bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    wrong: () => [
      "Từ chối tiếp nhận mà không nêu lý do",
      "Yêu cầu người dân tự tìm hiểu trên mạng",
      "Tiếp nhận rồi để đó chờ người dân tự bổ sung",
      "Hướng dẫn bằng lời, mỗi lần bổ sung một loại giấy tờ",
      "Yêu cầu nộp thêm giấy tờ ngoài thành phần hồ sơ đã công bố",
      "Chuyển hồ sơ lên cấp tỉnh để xử lý",
    ],
    explanation: (x) => `Nguyên tắc "một lần, đầy đủ": hồ sơ ${x.proc} chưa đầy đủ thì công chức hướng dẫn bằng phiếu một lần để người dân bổ sung, không để người dân đi lại nhiều lần.`,
    source: "Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
  },
  {
    topic: T.tthc,
    stem: (x) => `Khi giải quyết thủ tục ${x.proc} cho ${x.p} (${x.c}), cơ quan có được yêu cầu nộp thêm giấy tờ ngoài thành phần hồ sơ đã công bố không?`,
    correct: () => "Không; chỉ yêu cầu đúng thành phần hồ sơ đã được công bố công khai",
    wrong: () => [
      "Có, nếu công chức thấy cần thiết",
      "Có, nếu hồ sơ được nộp trực tuyến",
      "Có, nếu người dân ở ngoài địa bàn",
      "Có, khi lãnh đạo cơ quan đồng ý bằng lời nói",
      "Có, trong thời gian cao điểm cuối năm",
      "Tùy từng công chức tiếp nhận hồ sơ",
    ],
    explanation: () => `Thủ tục hành chính chỉ được thực hiện theo đúng bộ thủ tục đã công bố; yêu cầu thêm giấy tờ là hành vi bị nghiêm cấm, gây phiền hà cho người dân.`,
    source: "Nghị định 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ (đã sửa đổi, bổ sung)",
  },
  {
    topic: T.tthc,
    stem: (x) => `Thủ tục ${x.proc} áp dụng tại ${x.c} phải được công khai ở đâu để ${x.p} tiện tra cứu?`,
    correct: () => "Tại Bộ phận Một cửa và trên Cổng Dịch vụ công quốc gia, Cổng dịch vụ công của tỉnh",
    wrong: () => [
      "Chỉ trong sổ tay nội bộ của công chức",
      "Chỉ trên trang mạng xã hội cá nhân của cán bộ",
      "Chỉ thông báo bằng loa phát thanh một lần",
      "Không cần công khai vì đã có công chức hướng dẫn",
      "Chỉ niêm yết tại nhà văn hóa thôn",
      "Chỉ gửi cho người đã nộp hồ sơ",
    ],
    explanation: () => `Thủ tục hành chính phải được công khai đầy đủ, thường xuyên, rõ ràng, đúng địa chỉ, dễ tiếp cận, dễ khai thác, sử dụng.`,
    source: "Nghị định 63/2010/NĐ-CP; Nghị định 118/2025/NĐ-CP của Chính phủ",
  },
  // Cải cách tổ chức bộ máy
  {
    topic: T.bm,
    stem: (x) => `Việc sắp xếp các phòng chuyên môn của Ủy ban nhân dân ${x.c} năm ${x.year} phải hướng tới mục tiêu nào?`,
    correct: () => "Tinh gọn, hoạt động hiệu lực, hiệu năng, hiệu quả",
    wrong: () => ["Tăng số lượng cấp phó để phân công dễ hơn", "Giữ nguyên như trước khi sắp xếp", "Mỗi lĩnh vực thành lập một phòng riêng", "Tăng biên chế để giảm tải công việc", "Chuyển toàn bộ nhiệm vụ lên cấp tỉnh", "Sáp nhập tất cả vào một phòng duy nhất"],
    explanation: () => `Nghị quyết 18-NQ/TW yêu cầu tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả.`,
    source: "Nghị quyết 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII",
  },
  {
    topic: T.bm,
    stem: (x) => `${x.dept.charAt(0).toUpperCase() + x.dept.slice(1)} của ${x.c} xây dựng đề án vị trí việc làm năm ${x.year}. Căn cứ chủ yếu để xác định biên chế là gì?`,
    correct: () => "Vị trí việc làm gắn với chức năng, nhiệm vụ và khối lượng công việc thực tế",
    wrong: () => ["Số lượng người xin vào làm việc", "Biên chế của đơn vị khác cùng cấp", "Số phòng làm việc hiện có", "Ý kiến của từng công chức trong đơn vị", "Số năm công tác bình quân của công chức", "Biên chế trước khi sắp xếp, giữ nguyên"],
    explanation: () => `Biên chế được xác định trên cơ sở vị trí việc làm, chức năng, nhiệm vụ và khối lượng công việc, bảo đảm tinh gọn và hiệu quả.`,
    source: "Nghị định 62/2020/NĐ-CP về vị trí việc làm và biên chế công chức (đã sửa đổi, bổ sung)",
  },
  {
    topic: T.bm,
    stem: (x) => `Nghị quyết 18-NQ/TW được ${x.c} quán triệt khi kiện toàn bộ máy năm ${x.year} đề cập vấn đề gì?`,
    correct: () => "Tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
    wrong: () => [
      "Cải cách chính sách tiền lương đối với cán bộ, công chức, viên chức",
      "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
      "Đổi mới hệ thống tổ chức, quản lý các đơn vị sự nghiệp công lập",
      "Phát triển kinh tế tư nhân",
      "Tăng cường quốc phòng, an ninh vùng biên giới",
      "Xây dựng nông thôn mới giai đoạn 2021–2025",
    ],
    explanation: () => `Nghị quyết 18-NQ/TW ngày 25/10/2017 bàn về một số vấn đề tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả.`,
    source: "Nghị quyết 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII",
  },
  // Cải cách chế độ công vụ
  {
    topic: T.cv,
    stem: (x) => `${cap(x.p)}, công chức ${x.dept} ${x.c}, được đánh giá, xếp loại chất lượng năm ${x.year} căn cứ chủ yếu vào yếu tố nào?`,
    correct: () => "Kết quả thực hiện nhiệm vụ được giao, gắn với sản phẩm cụ thể",
    wrong: () => ["Số năm công tác", "Mức độ thân quen với lãnh đạo", "Số giờ có mặt tại cơ quan", "Trình độ ngoại ngữ", "Số lượng văn bản ký nháy", "Ý kiến của đồng nghiệp cùng phòng"],
    explanation: () => `Việc đánh giá công chức chuyển mạnh sang đánh giá theo kết quả, sản phẩm thực hiện nhiệm vụ, được lượng hóa bằng tiêu chí cụ thể.`,
    source: "Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025",
  },
  {
    topic: T.cv,
    stem: (x) => `Khi tiếp ${x.p} đến hỏi về thủ tục ${x.proc} tại ${x.c}, công chức phải thực hiện chuẩn mực ứng xử nào?`,
    correct: () => "Lịch sự, tôn trọng, lắng nghe và hướng dẫn tận tình, không gây phiền hà",
    wrong: () => ["Chỉ trả lời khi người dân đã nộp đủ hồ sơ", "Yêu cầu người dân quay lại vào hôm khác", "Trả lời ngắn gọn rồi tiếp tục việc riêng", "Chỉ hướng dẫn qua điện thoại cá nhân", "Đề nghị người dân thuê dịch vụ bên ngoài", "Chỉ tiếp người dân có hẹn trước"],
    explanation: () => `Văn hóa công vụ đòi hỏi công chức tận tụy, tôn trọng người dân; hành vi hách dịch, cửa quyền, gây phiền hà bị nghiêm cấm.`,
    source: "Quyết định 1847/QĐ-TTg ngày 27/12/2018 phê duyệt Đề án văn hóa công vụ",
  },
  {
    topic: T.cv,
    stem: (x) => `Năm ${x.year}, ${x.c} tuyển dụng công chức cho ${x.dept}. Nguyên tắc tuyển dụng đúng là gì?`,
    correct: () => "Công khai, minh bạch, khách quan, cạnh tranh và đúng vị trí việc làm",
    wrong: () => ["Ưu tiên người thân của công chức đang công tác", "Chỉ xét hồ sơ, không cần thông báo công khai", "Tuyển trước, xác định vị trí việc làm sau", "Tuyển đủ số lượng, không cần đánh giá năng lực", "Do một cá nhân quyết định", "Chỉ tuyển người có hộ khẩu tại xã"],
    explanation: () => `Tuyển dụng công chức phải bảo đảm công khai, minh bạch, khách quan, đúng pháp luật, cạnh tranh và căn cứ yêu cầu vị trí việc làm.`,
    source: "Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025",
  },
  // Cải cách tài chính công
  {
    topic: T.tc,
    stem: (x) => `Dự toán ngân sách năm ${x.year} của ${x.c} phải được công khai nhằm mục đích gì (theo góp ý của ${x.p})?`,
    correct: () => "Để người dân giám sát, bảo đảm minh bạch trong quản lý ngân sách",
    wrong: () => ["Để quảng bá thành tích của địa phương", "Chỉ để báo cáo cấp trên", "Để giảm số lượng cán bộ kế toán", "Để thay thế cho việc kiểm toán", "Vì cơ quan thuế yêu cầu", "Để kêu gọi người dân đóng góp thêm"],
    explanation: () => `Công khai ngân sách giúp người dân giám sát việc thu, chi, bảo đảm minh bạch và trách nhiệm giải trình của chính quyền.`,
    source: "Luật Ngân sách nhà nước; Thông tư 343/2016/TT-BTC của Bộ Tài chính",
  },
  {
    topic: T.tc,
    stem: (x) => `${x.unit} ${x.c} là đơn vị sự nghiệp công lập. Cơ chế tự chủ tài chính của đơn vị năm ${x.year} thực hiện theo văn bản nào?`,
    correct: () => "Nghị định 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ",
    wrong: () => ["Nghị định 16/2015/NĐ-CP ngày 14/02/2015 của Chính phủ", "Nghị định 43/2006/NĐ-CP ngày 25/4/2006 của Chính phủ", "Nghị định 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ", "Nghị định 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", "Nghị định 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ", "Nghị định 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ"],
    explanation: () => `Nghị định 60/2021/NĐ-CP quy định cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập, thay thế Nghị định 16/2015/NĐ-CP.`,
    source: "Nghị định 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ",
  },
  {
    topic: T.tc,
    stem: (x) => `Khi ${x.p} nộp phí, lệ phí thủ tục ${x.proc} tại ${x.c}, hình thức nào được khuyến khích?`,
    correct: () => "Thanh toán trực tuyến, không dùng tiền mặt",
    wrong: () => ["Nộp tiền mặt trực tiếp cho công chức thụ lý", "Gửi tiền qua người quen làm ở xã", "Thanh toán sau khi nhận kết quả nhiều tháng", "Nộp bằng hiện vật", "Chuyển khoản vào tài khoản cá nhân của cán bộ", "Nộp tại nhà trưởng thôn"],
    explanation: () => `Thanh toán trực tuyến phí, lệ phí giúp minh bạch, giảm tiền mặt và thời gian đi lại của người dân.`,
    source: "Chỉ thị 23/CT-TTg; Quyết định 06/QĐ-TTg của Thủ tướng Chính phủ",
  },
  // Chính phủ điện tử, Chính phủ số
  {
    topic: T.cds,
    stem: (x) => `${cap(x.p)} ở ${x.c} muốn theo dõi tình trạng hồ sơ ${x.proc} đã nộp trực tuyến. Cách nhanh nhất là gì?`,
    correct: () => "Tra cứu bằng mã hồ sơ trên Cổng Dịch vụ công quốc gia",
    wrong: () => ["Đến trực tiếp trụ sở hỏi từng phòng", "Gọi điện cho lãnh đạo Ủy ban nhân dân", "Chờ thư báo qua đường bưu điện", "Hỏi trưởng thôn", "Đăng bài lên mạng xã hội", "Nộp lại hồ sơ mới"],
    explanation: (x) => `Mỗi hồ sơ ${x.proc} có mã số riêng; người dân tra cứu trạng thái xử lý trực tuyến mà không phải đến trụ sở.`,
    source: "Nghị định 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ",
  },
  {
    topic: T.cds,
    stem: (x) => `Theo yêu cầu chuyển đổi số năm ${x.year}, ${x.dept} ${x.c} xử lý văn bản đến như thế nào?`,
    correct: () => "Nhận, xử lý và ký số văn bản trên Hệ thống quản lý văn bản và điều hành",
    wrong: () => ["In ra giấy rồi chuyển tay giữa các phòng", "Gửi qua ứng dụng nhắn tin cá nhân", "Lưu trên máy tính cá nhân của văn thư", "Chỉ xử lý bản giấy có dấu đỏ", "Chụp ảnh văn bản gửi qua thư điện tử cá nhân", "Chờ họp giao ban hằng tuần để phân công"],
    explanation: () => `Văn bản điện tử được gửi, nhận, xử lý và ký số trên hệ thống quản lý văn bản và điều hành, rút ngắn thời gian và giảm chi phí.`,
    source: "Nghị định 30/2020/NĐ-CP ngày 05/3/2020 về công tác văn thư",
  },
  {
    topic: T.cds,
    stem: (x) => `Tài khoản nào giúp ${x.p} (${x.c}) đăng nhập Cổng Dịch vụ công quốc gia để làm thủ tục ${x.proc}?`,
    correct: () => "Tài khoản định danh điện tử VNeID mức độ 2",
    wrong: () => ["Tài khoản Zalo cá nhân", "Tài khoản thư điện tử công vụ của cán bộ", "Tài khoản ngân hàng", "Mã số thuế của hộ kinh doanh", "Số thẻ bảo hiểm y tế", "Tài khoản mạng xã hội"],
    explanation: () => `Cổng Dịch vụ công quốc gia dùng tài khoản định danh điện tử (VNeID) để xác thực người dân khi thực hiện dịch vụ công trực tuyến.`,
    source: "Nghị định 69/2024/NĐ-CP ngày 25/6/2024 về định danh và xác thực điện tử",
  },
  // Chính quyền địa phương hai cấp
  {
    topic: T.hc,
    stem: (x) => `Trước khi sắp xếp đơn vị hành chính năm 2025, địa bàn ${x.c} thuộc đơn vị hành chính cấp huyện nào?`,
    correct: (x) => x.commune.oldDistricts[0],
    wrong: (x) => shuffle(oldDistricts.filter((d) => !x.commune.oldDistricts.includes(d))).slice(0, 6),
    explanation: (x) => `${cap(x.c)} được thành lập trên cơ sở sắp xếp các đơn vị hành chính cấp xã thuộc ${x.commune.oldDistricts[0]} (cũ).`,
    source: "Nghị quyết 1664/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội",
    fits: (x) => x.commune.oldDistricts.length === 1,
  },
  {
    topic: T.hc,
    stem: (x) => `Sau khi không còn cấp huyện, ${x.p} ở ${x.c} cần làm thủ tục ${x.proc} thì nộp hồ sơ ở đâu?`,
    correct: () => "Trung tâm Phục vụ hành chính công của xã, phường hoặc nộp trực tuyến",
    wrong: () => ["Trụ sở Ủy ban nhân dân huyện cũ", "Văn phòng Quốc hội", "Bất kỳ trụ sở công an nào", "Nhà văn hóa thôn", "Văn phòng Ủy ban nhân dân tỉnh", "Phải chờ đến khi thành lập lại cấp huyện"],
    explanation: () => `Từ ngày 01/7/2025, chính quyền địa phương tổ chức hai cấp (tỉnh và xã); thủ tục hành chính được giải quyết tại Trung tâm Phục vụ hành chính công cấp xã, cấp tỉnh hoặc trực tuyến, không phụ thuộc địa giới.`,
    source: "Luật Tổ chức chính quyền địa phương ngày 16/6/2025",
  },
  {
    topic: T.hc,
    stem: (x) => `Từ ngày 01/7/2025, chính quyền ${x.c} trực thuộc trực tiếp cấp nào (câu hỏi của ${x.p})?`,
    correct: () => "Chính quyền tỉnh Gia Lai",
    wrong: () => ["Ủy ban nhân dân huyện cũ", "Bộ Nội vụ", "Ủy ban nhân dân thành phố Pleiku", "Văn phòng Chính phủ", "Ủy ban Thường vụ Quốc hội", "Hội đồng nhân dân liên xã"],
    explanation: () => `Mô hình chính quyền địa phương hai cấp gồm cấp tỉnh và cấp xã; xã, phường trực thuộc tỉnh.`,
    source: "Luật Tổ chức chính quyền địa phương ngày 16/6/2025",
  },
  // Đề án 06
  {
    topic: T.da06,
    stem: (x) => `Khi ${x.p} (${x.c}) làm thủ tục ${x.proc}, vì sao có thể không phải nộp bản sao giấy tờ về nhân thân?`,
    correct: () => "Vì thông tin được khai thác từ Cơ sở dữ liệu quốc gia về dân cư",
    wrong: () => ["Vì công chức quen biết người nộp hồ sơ", "Vì thủ tục này không cần thông tin nhân thân", "Vì người dân đã nộp ở lần trước", "Vì hồ sơ được miễn kiểm tra", "Vì trưởng thôn đã xác nhận thay", "Vì hồ sơ nộp vào ngày nghỉ"],
    explanation: () => `Đề án 06 lấy Cơ sở dữ liệu quốc gia về dân cư làm nền tảng: cơ quan giải quyết khai thác thông tin đã có, không yêu cầu người dân nộp lại giấy tờ.`,
    source: "Quyết định 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ",
  },
  {
    topic: T.da06,
    stem: (x) => `Tổ công tác Đề án 06 ${x.c} hướng dẫn ${x.p} kích hoạt tài khoản định danh điện tử năm ${x.year}. Ứng dụng cần cài đặt là gì?`,
    correct: () => "VNeID",
    wrong: () => ["VssID", "eTax Mobile", "Zalo", "Bluezone", "PC-Covid", "Sổ sức khỏe điện tử"],
    explanation: () => `VNeID là ứng dụng định danh và xác thực điện tử do Bộ Công an phát triển, dùng để kích hoạt và sử dụng tài khoản định danh điện tử.`,
    source: "Quyết định 06/QĐ-TTg ngày 06/01/2022; Nghị định 69/2024/NĐ-CP",
  },
  {
    topic: T.da06,
    stem: (x) => `Khi ${x.p} ở ${x.village}, ${x.c} đi khám chữa bệnh bảo hiểm y tế, giấy tờ nào có thể dùng thay thẻ bảo hiểm y tế giấy?`,
    correct: () => "Thẻ căn cước gắn chip hoặc tài khoản VNeID đã tích hợp thông tin bảo hiểm y tế",
    wrong: () => ["Giấy chứng minh nhân dân 9 số đã hết hạn", "Giấy xác nhận của trưởng thôn", "Ảnh chụp thẻ bảo hiểm y tế của người thân", "Sổ hộ khẩu giấy", "Hóa đơn khám bệnh lần trước", "Thẻ thư viện"],
    explanation: () => `Một trong các tiện ích của Đề án 06: dùng thẻ căn cước gắn chip hoặc VNeID thay thẻ bảo hiểm y tế giấy khi khám chữa bệnh.`,
    source: "Quyết định 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ",
  },
  // Nghị quyết 57-NQ/TW
  {
    topic: T.nq57,
    stem: (x) => `Nghị quyết 57-NQ/TW mà Đảng ủy ${x.c} quán triệt năm ${x.year} bàn về lĩnh vực nào?`,
    correct: () => "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    wrong: () => ["Sắp xếp tổ chức bộ máy của hệ thống chính trị", "Cải cách chính sách tiền lương", "Phát triển kinh tế tập thể", "Bảo vệ môi trường và ứng phó biến đổi khí hậu", "Công tác dân tộc và tôn giáo", "Phát triển văn hóa, con người Việt Nam"],
    explanation: () => `Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.`,
    source: "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
  },
  {
    topic: T.nq57,
    stem: (x) => `Tổ công nghệ số cộng đồng ở ${x.village}, ${x.c} có vai trò gì khi thực hiện Nghị quyết 57-NQ/TW năm ${x.year}?`,
    correct: () => "Hướng dẫn người dân sử dụng dịch vụ công trực tuyến và kỹ năng số cơ bản",
    wrong: () => ["Thu phí sử dụng Internet của người dân", "Thay người dân ký hồ sơ", "Quản lý tài khoản ngân hàng của người dân", "Bán thiết bị điện tử cho người dân", "Giữ mật khẩu VNeID của người dân", "Thẩm định hồ sơ thủ tục hành chính"],
    explanation: () => `Tổ công nghệ số cộng đồng là lực lượng tại cơ sở, hướng dẫn người dân tiếp cận dịch vụ số, góp phần phổ cập kỹ năng số.`,
    source: "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
  },
  {
    topic: T.nq57,
    stem: (x) => `Để thực hiện Nghị quyết 57-NQ/TW, ${x.c} nên ưu tiên việc nào cho ${x.dept} trong năm ${x.year}?`,
    correct: () => "Bồi dưỡng kỹ năng số cho cán bộ và đẩy mạnh giải quyết thủ tục trên môi trường điện tử",
    wrong: () => ["Tăng số cuộc họp trực tiếp", "Mua thêm máy in để in hồ sơ giấy", "Hạn chế người dân nộp hồ sơ trực tuyến", "Giữ nguyên cách làm truyền thống", "Giảm kinh phí cho ứng dụng công nghệ", "Chỉ tuyên truyền, không triển khai thực tế"],
    explanation: () => `Nghị quyết 57-NQ/TW xác định chuyển đổi số là đột phá; cán bộ có kỹ năng số và dịch vụ công trực tuyến thực chất là nhiệm vụ trọng tâm.`,
    source: "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
  },
  // Các chỉ số đánh giá
  {
    topic: T.cs,
    stem: (x) => {
      const index = INDICES[(x.year + x.c.length) % INDICES.length];
      return `${index.name} mà ${x.c} theo dõi năm ${x.year} do cơ quan, tổ chức nào công bố?`;
    },
    correct: (x) => INDICES[(x.year + x.c.length) % INDICES.length].by,
    wrong: (x) => AGENCIES.filter((a) => a !== INDICES[(x.year + x.c.length) % INDICES.length].by),
    explanation: (x) => {
      const index = INDICES[(x.year + x.c.length) % INDICES.length];
      return `${index.name} do ${index.by} công bố hằng năm.`;
    },
    source: "Quyết định 876/QĐ-BNV; Báo cáo PCI của VCCI; Báo cáo PAPI",
  },
  {
    topic: T.cs,
    stem: (x) => `Để cải thiện Chỉ số SIPAS, Trung tâm Phục vụ hành chính công ${x.c} nên làm gì khi ${x.p} phản ánh chậm trả kết quả ${x.proc}?`,
    correct: () => "Tiếp nhận, xác minh, trả lời công khai và khắc phục nguyên nhân chậm trễ",
    wrong: () => ["Không trả lời vì phản ánh không có căn cứ", "Đề nghị người dân rút phản ánh", "Chỉ giải thích bằng lời tại quầy", "Chuyển phản ánh cho cơ quan khác mà không theo dõi", "Xóa phản ánh khỏi hệ thống", "Chờ cuối năm tổng hợp một lần"],
    explanation: () => `SIPAS đo mức độ hài lòng của người dân; tiếp nhận và xử lý kịp thời phản ánh, kiến nghị giúp nâng cao chất lượng phục vụ.`,
    source: "Quyết định 3279/QĐ-BNV về Đề án đo lường sự hài lòng (SIPAS)",
  },
  {
    topic: T.cs,
    stem: (x) => `Kết quả chấm điểm Chỉ số cải cách hành chính năm ${x.year} của ${x.c} được sử dụng để làm gì?`,
    correct: () => "Làm căn cứ đánh giá, xếp loại và thi đua, khen thưởng tập thể, người đứng đầu",
    wrong: () => ["Chỉ để lưu trữ, không sử dụng", "Để tính lương tăng thêm cho mọi công chức", "Để quyết định số lượng thôn, tổ dân phố", "Để phân bổ đất đai", "Thay cho báo cáo kinh tế - xã hội", "Để xếp hạng các doanh nghiệp trên địa bàn"],
    explanation: () => `Chỉ số CCHC phản ánh kết quả cải cách hành chính hằng năm, là căn cứ đánh giá trách nhiệm người đứng đầu và thi đua, khen thưởng.`,
    source: "Kế hoạch cải cách hành chính của Ủy ban nhân dân tỉnh Gia Lai",
  },
  // Chỉ thị 23/CT-TTg
  {
    topic: T.ct23,
    stem: (x) => `Chỉ thị 23/CT-TTg mà Ủy ban nhân dân ${x.c} triển khai năm ${x.year} về nội dung gì?`,
    correct: () => "Đẩy mạnh thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030",
    wrong: () => ["Tăng cường phòng, chống dịch bệnh", "Đẩy mạnh giải ngân vốn đầu tư công", "Phòng, chống tác hại của thuốc lá", "Bảo đảm trật tự an toàn giao thông", "Tăng cường quản lý đất đai", "Tổ chức Tết Nguyên đán"],
    explanation: () => `Chỉ thị 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ về đẩy mạnh thực hiện Chương trình tổng thể CCHC nhà nước giai đoạn 2021–2030.`,
    source: "Chỉ thị 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ",
  },
  {
    topic: T.ct23,
    stem: (x) => `Theo tinh thần Chỉ thị 23/CT-TTg, người đứng đầu ${x.c} có trách nhiệm gì với công tác cải cách hành chính năm ${x.year} (theo câu hỏi của ${x.p})?`,
    correct: () => "Trực tiếp chỉ đạo và chịu trách nhiệm về kết quả cải cách hành chính của địa phương",
    wrong: () => ["Giao toàn bộ cho công chức văn phòng", "Chỉ ký báo cáo cuối năm", "Không chịu trách nhiệm nếu đã phân công cấp phó", "Chỉ tham dự hội nghị tổng kết", "Ủy quyền cho trưởng thôn", "Chỉ chịu trách nhiệm khi có đơn khiếu nại"],
    explanation: () => `Chỉ thị 23/CT-TTg yêu cầu người đứng đầu trực tiếp chỉ đạo, chịu trách nhiệm về kết quả thực hiện nhiệm vụ cải cách hành chính.`,
    source: "Chỉ thị 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ",
  },
  {
    topic: T.ct23,
    stem: (x) => `Chương trình tổng thể cải cách hành chính nhà nước mà Chỉ thị 23/CT-TTg yêu cầu ${x.c} đẩy mạnh năm ${x.year} được ban hành kèm theo văn bản nào?`,
    correct: () => "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
    wrong: () => ["Quyết định 942/QĐ-TTg ngày 15/6/2021 của Thủ tướng Chính phủ", "Nghị quyết 30c/NQ-CP ngày 08/11/2011 của Chính phủ", "Nghị quyết 18-NQ/TW ngày 25/10/2017", "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ", "Quyết định 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ", "Nghị định 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ"],
    explanation: () => `Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 được ban hành kèm theo Nghị quyết 76/NQ-CP ngày 15/7/2021.`,
    source: "Nghị quyết 76/NQ-CP ngày 15/7/2021; Chỉ thị 23/CT-TTg ngày 02/9/2021",
  },
  // Một cửa, dịch vụ công trực tuyến
  {
    topic: T.mc,
    stem: (x) => `Hồ sơ ${x.proc} của ${x.p} nộp tại Trung tâm Phục vụ hành chính công ${x.c} bị quá hạn. Cơ quan giải quyết phải làm gì?`,
    correct: () => "Gửi văn bản xin lỗi, nêu rõ lý do và hẹn lại thời gian trả kết quả",
    wrong: () => ["Không cần thông báo, trả kết quả khi xong", "Yêu cầu người dân nộp lại hồ sơ mới", "Trả lại hồ sơ và đề nghị nộp ở nơi khác", "Thu thêm phí để xử lý nhanh", "Gọi điện hẹn miệng, không cần văn bản", "Chuyển trách nhiệm cho người dân vì nộp muộn"],
    explanation: () => `Hồ sơ quá hạn giải quyết thì cơ quan có trách nhiệm phải gửi phiếu xin lỗi và hẹn lại ngày trả kết quả.`,
    source: "Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
  },
  {
    topic: T.mc,
    stem: (x) => `${cap(x.p)} ở ${x.village}, ${x.c} muốn nộp hồ sơ ${x.proc} mà không phải đến trụ sở. Cách đúng là gì?`,
    correct: () => "Nộp trực tuyến trên Cổng Dịch vụ công quốc gia hoặc qua dịch vụ bưu chính công ích",
    wrong: () => ["Nhờ người quen nộp hộ không cần giấy ủy quyền", "Gửi ảnh hồ sơ qua Zalo cho công chức", "Gửi hồ sơ cho trưởng thôn giữ", "Gọi điện đọc thông tin cho công chức", "Chờ đợt tiếp nhận lưu động năm sau", "Gửi thư điện tử cho lãnh đạo Ủy ban nhân dân"],
    explanation: () => `Người dân có thể nộp hồ sơ trực tuyến hoặc qua dịch vụ bưu chính công ích mà không phải đến Bộ phận Một cửa.`,
    source: "Nghị định 118/2025/NĐ-CP; Nghị định 42/2022/NĐ-CP của Chính phủ",
  },
  {
    topic: T.mc,
    stem: (x) => `Sau khi nhận kết quả ${x.proc} tại ${x.c}, ${x.p} được mời đánh giá mức độ hài lòng. Việc đánh giá này để làm gì?`,
    correct: () => "Góp phần đánh giá chất lượng phục vụ của cơ quan và công chức giải quyết hồ sơ",
    wrong: () => ["Để tính phí dịch vụ", "Để xếp hạng người dân", "Để quyết định có trả kết quả hay không", "Chỉ để thống kê số hồ sơ", "Để xét khen thưởng cho người dân", "Không có mục đích cụ thể"],
    explanation: () => `Kết quả đánh giá của người dân là căn cứ đánh giá chất lượng giải quyết thủ tục hành chính của cơ quan, công chức.`,
    source: "Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
  },
];

const TOPICS = [...new Set(TEMPLATES.map((t) => t.topic))];
if (TOPICS.length !== 12) throw new Error(`expected the twelve CCHC topics, got ${TOPICS.length}`);

function optionCount(): number {
  const r = rand();
  return r < 0.8 ? 4 : r < 0.93 ? 5 : 6;
}

function difficulty(): Difficulty {
  const r = rand();
  return r < 0.35 ? "easy" : r < 0.8 ? "medium" : "hard";
}

function generateQuestions(count: number): QuestionDraft[] {
  const out: QuestionDraft[] = [];
  const stems = new Set<string>();
  let attempts = 0;
  while (out.length < count) {
    if (++attempts > count * 50) throw new Error(`could not generate ${count} distinct stems (got ${out.length})`);
    const topic = TOPICS[out.length % TOPICS.length];
    const template = pick(TEMPLATES.filter((t) => t.topic === topic));
    const commune = pick(communes);
    const x: Ctx = { commune, c: commune.name, p: person(), proc: pick(PROCEDURES), field: pick(FIELDS), dept: pick(DEPARTMENTS), unit: pick(UNITS), village: pick(VILLAGES), year: pick(YEARS) };
    if (template.fits && !template.fits(x)) continue;
    const text = template.stem(x);
    const key = normalizeStem(text);
    if (stems.has(key)) continue;
    const correct = template.correct(x);
    const n = optionCount();
    const wrong = shuffle([...template.wrong(x)]).slice(0, n - 1);
    const options = shuffle([correct, ...wrong]);
    if (new Set(options.map(normalizeStem)).size !== options.length) continue;
    stems.add(key);
    out.push({
      topic,
      text,
      options,
      correct: options.indexOf(correct),
      explanation: template.explanation(x),
      difficulty: difficulty(),
      source: template.source,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV, written by hand: UTF-8 with BOM (as Excel saves "CSV UTF-8"), CRLF, RFC 4180 quoting.

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeCsv(questions: QuestionDraft[]): Buffer {
  const c = vi.questionFile.columns;
  const header = [c.topic, c.text, c.optionA, c.optionB, c.optionC, c.optionD, c.optionE, c.optionF, c.correct, c.explanation, c.difficulty, c.source];
  const lines = [header.map(csvField).join(",")];
  for (const q of questions) {
    const options = Array.from({ length: 6 }, (_, i) => q.options[i] ?? "");
    const row = [q.topic, q.text, ...options, OPTION_LETTERS[q.correct], q.explanation, DIFFICULTY_LABEL_VI[q.difficulty], q.source];
    lines.push(row.map(csvField).join(","));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8")]);
}

// ---------------------------------------------------------------------------------------------
// Measuring

const mib = (bytes: number) => bytes / 1024 / 1024;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

function fail(message: string): never {
  console.error(`✗ ${message}`);
  process.exit(1);
}

const [questions, generateMs] = await timed(() => generateQuestions(COUNT));
const [xlsx, xlsxWriteMs] = await timed(() => writeQuestionWorkbook(questions, { title: "Bench: 5,000 câu hỏi CCHC" }));
const [csv, csvWriteMs] = await timed(() => writeCsv(questions));
const optionsTotal = questions.reduce((n, q) => n + q.options.length, 0);
const peakRssAfterGenerateMiB = peakRssMiB();
console.log(
  `generated ${questions.length} questions (${optionsTotal} options) in ${generateMs.toFixed(0)} ms; ` +
    `xlsx ${(xlsx.byteLength / 1024).toFixed(0)} KiB in ${xlsxWriteMs.toFixed(0)} ms, csv ${(csv.byteLength / 1024).toFixed(0)} KiB`,
);

const { user } = await upsertStaff({ role: "organizer", email: "bench.organizer@example.vn", password: "Bench-password-2025!", fullName: "Người chạy benchmark" });
const actor = { id: user.id };
const xlsxBank = await createBank({ name: "Bench – nhập Excel 5.000 câu" }, actor);
const csvBank = await createBank({ name: "Bench – nhập CSV 5.000 câu" }, actor);

async function importInto(bankId: string, upload: Upload, label: string) {
  const [result, ms] = await timed(() => importDirect(bankId, upload, false, actor));
  if (!result.ok) fail(`${label} import rejected the file: ${result.message}`);
  if (result.errors.length || result.duplicates.length || result.imported !== COUNT) {
    const sample = [...result.errors, ...result.duplicates].slice(0, 5).map((e) => `row ${e.row} ${e.column ?? ""}: ${e.message}`);
    fail(`${label} import: imported ${result.imported} of ${COUNT}, ${result.errors.length} errors, ${result.duplicates.length} duplicates\n  ${sample.join("\n  ")}`);
  }
  return ms;
}

const xlsxUpload: Upload = { fileName: "cau-hoi-cchc-5000.xlsx", bytes: new Uint8Array(xlsx.buffer, xlsx.byteOffset, xlsx.byteLength) };
const importMs = await importInto(xlsxBank.id, xlsxUpload, "xlsx");
const peakRssAfterXlsxImportMiB = peakRssMiB();
// parseUpload alone, on a second call over the same bytes (so warm: the import above paid the first-use cost).
const [parsed, parseMs] = await timed(() => parseUpload(xlsxUpload));
if (!parsed.ok || parsed.parsed.questions.length !== COUNT) fail("xlsx parseUpload did not yield 5,000 questions");

const csvUpload: Upload = { fileName: "cau-hoi-cchc-5000.csv", bytes: new Uint8Array(csv.buffer, csv.byteOffset, csv.byteLength) };
const csvImportMs = await importInto(csvBank.id, csvUpload, "csv");
const [csvParsed, csvParseMs] = await timed(() => parseUpload(csvUpload));
if (!csvParsed.ok || csvParsed.parsed.questions.length !== COUNT) fail("csv parseUpload did not yield 5,000 questions");

// What is in the database, not what the import said.
for (const [label, bankId] of [["xlsx", xlsxBank.id], ["csv", csvBank.id]] as const) {
  const stored = await db().question.count({ where: { bankId } });
  const storedOptions = await db().option.count({ where: { question: { bankId } } });
  console.log(`${label} bank ${bankId}: ${stored} questions, ${storedOptions} options in the database`);
  if (stored !== COUNT || storedOptions !== optionsTotal) fail(`${label} bank holds ${stored} questions / ${storedOptions} options, expected ${COUNT} / ${optionsTotal}`);
}
// A spot check that the content survived the round trip (diacritics, option order, answer).
const sample = questions[1234];
const row = await db().question.findFirst({ where: { bankId: csvBank.id, text: sample.text }, include: { options: { orderBy: { position: "asc" } } } });
if (!row || row.options.map((o) => o.text).join("|") !== sample.options.join("|") || !row.options[sample.correct]?.correct) {
  fail(`question 1235 did not round-trip through the CSV import: ${JSON.stringify(sample.text)}`);
}

const heapUsedMiB = mib(process.memoryUsage().heapUsed);
await disconnectDb();

const metrics = {
  questions: { value: COUNT, unit: "questions" },
  options: { value: optionsTotal, unit: "options" },
  generateMs: { value: round(generateMs), unit: "ms" },
  xlsxWriteMs: { value: round(xlsxWriteMs), unit: "ms" },
  fileBytes: { value: xlsx.byteLength, unit: "bytes" },
  parseMs: { value: round(parseMs), unit: "ms" },
  importMs: { value: round(importMs), unit: "ms" },
  questionsPerSec: { value: round(COUNT / (importMs / 1000)), unit: "/s" },
  csvWriteMs: { value: round(csvWriteMs), unit: "ms" },
  csvBytes: { value: csv.byteLength, unit: "bytes" },
  csvParseMs: { value: round(csvParseMs), unit: "ms" },
  csvImportMs: { value: round(csvImportMs), unit: "ms" },
  csvQuestionsPerSec: { value: round(COUNT / (csvImportMs / 1000)), unit: "/s" },
  peakRssAfterGenerateMiB: { value: round(peakRssAfterGenerateMiB), unit: "MiB" },
  peakRssAfterXlsxImportMiB: { value: round(peakRssAfterXlsxImportMiB), unit: "MiB" },
  peakRssMiB: { value: round(peakRssMiB()), unit: "MiB" },
  heapUsedMiB: { value: round(heapUsedMiB), unit: "MiB" },
};
const info = { note: "importMs is the first (cold) import; parseMs is a second, warm parseUpload of the same bytes" };
console.log(`BENCH_RESULT ${JSON.stringify({ metrics, info })}`);
process.exit(0);
