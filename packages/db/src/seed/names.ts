// Name and personal-attribute pools. Weights follow the rough shape of the 2020 census so a list of
// a few hundred members looks like a real agency roster (many 王/李/张, the occasional 欧阳).

import { weightedTable, type WeightedTable } from './random.ts';

/** Surnames weighted by approximate share of the population (per mille). */
export const SURNAMES: WeightedTable<string> = weightedTable<string>([
  ['王', 71], ['李', 70], ['张', 67], ['刘', 54], ['陈', 46], ['杨', 31], ['黄', 22], ['赵', 20],
  ['吴', 19], ['周', 19], ['徐', 15], ['孙', 14], ['马', 13], ['朱', 12], ['胡', 12], ['郭', 11],
  ['何', 11], ['高', 10], ['林', 10], ['罗', 9], ['郑', 9], ['梁', 8], ['谢', 7], ['宋', 6],
  ['唐', 6], ['许', 6], ['韩', 5], ['冯', 5], ['邓', 5], ['曹', 5], ['彭', 5], ['曾', 5],
  ['肖', 5], ['田', 4], ['董', 4], ['袁', 4], ['潘', 4], ['于', 4], ['蒋', 4], ['蔡', 4],
  ['余', 4], ['杜', 4], ['叶', 4], ['程', 3], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3],
  ['任', 3], ['沈', 3], ['姚', 3], ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3],
  ['陆', 2], ['汪', 2], ['范', 2], ['金', 2], ['石', 2], ['廖', 2], ['贾', 2], ['夏', 2],
  ['韦', 2], ['付', 2], ['方', 2], ['白', 2], ['邹', 2], ['孟', 2], ['熊', 2], ['秦', 2],
  ['邱', 2], ['江', 2], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2], ['侯', 2],
  ['龙', 2], ['史', 2], ['陶', 1], ['黎', 1], ['贺', 1], ['顾', 1], ['毛', 1], ['郝', 1],
  ['龚', 1], ['邵', 1], ['万', 1], ['钱', 1], ['严', 1], ['覃', 1], ['武', 1], ['戴', 1],
  ['莫', 1], ['孔', 1], ['向', 1], ['汤', 1], ['欧阳', 0.3], ['司马', 0.1], ['上官', 0.1], ['诸葛', 0.05],
]);

/** Given-name characters common for men. */
export const MALE_CHARS: readonly string[] = [...
  '伟刚勇毅俊峰强军平东文辉力明永健志兴良海波宁福龙元国胜学祥才武新利清飞彬顺杰涛昌成康星光天达安岩中进林坚博诚敬振磊民友哲江超浩亮政鸣朋斌栋维启克翔旭鹏泽晨辰建家树德泰盛雄钧冠腾航弘宇轩凯睿'];

/** Given-name characters common for women. */
export const FEMALE_CHARS: readonly string[] = [...
  '秀娟英华慧巧美娜静淑惠珠雅芝玉萍红玲芬芳燕彩春菊兰凤洁梅琳素云莲雪荣爱霞香月媛艳瑞佳嘉琼珍莉桂璐琦晶妍茜秋珊莎青倩婷婉娴瑾颖露瑶怡蓉丹琴蕊薇菁梦岚馨韵悦冰爽羽欣滢晓欢芸菲亚宜舒丽妮晴雯萱彦雨曼紫'];

/** Characters used in both men's and women's names. */
export const NEUTRAL_CHARS: readonly string[] = [...'文晓明思嘉子宇欣雨佳安晨新海春秋立'];

/** Whole given names typical of people born in the 1960s–70s, which composed names rarely reproduce. */
export const ERA_NAMES = {
  MALE: ['建国', '建华', '国强', '卫东', '志强', '建平', '国华', '建军', '永强', '海平', '志刚', '国庆', '建新', '红兵'],
  FEMALE: ['秀英', '桂英', '秀兰', '玉兰', '桂兰', '秀珍', '凤英', '玉梅', '丽华', '红梅', '淑珍', '建英', '小红', '海燕'],
} as const;

/** Ethnic groups weighted for an eastern city; 汉族 dominates as in any agency roster. */
export const ETHNICITIES: WeightedTable<string> = weightedTable<string>([
  ['汉族', 930], ['回族', 15], ['满族', 12], ['壮族', 10], ['土家族', 8], ['蒙古族', 7], ['苗族', 6],
  ['畲族', 5], ['彝族', 3], ['朝鲜族', 2], ['藏族', 1], ['维吾尔族', 1],
]);

/** Education of staff born before 1975, when a junior-college diploma was still common among civil servants. */
export const EDUCATION_OLDER: WeightedTable<string> = weightedTable<string>([
  ['大学本科', 58], ['大专', 20], ['硕士研究生', 15], ['中专', 3], ['博士研究生', 2], ['高中', 2],
]);

/** Education of younger staff: civil-service entry now all but requires a bachelor's degree. */
export const EDUCATION_YOUNGER: WeightedTable<string> = weightedTable<string>([
  ['大学本科', 55], ['硕士研究生', 35], ['博士研究生', 4], ['大专', 6],
]);

/** Residence area codes (GB/T 2260): mostly districts of one city (杭州 3301xx), some from elsewhere. */
export const AREA_CODES: WeightedTable<string> = weightedTable<string>([
  ['330102', 12], ['330105', 10], ['330106', 12], ['330108', 6], ['330109', 8], ['330110', 8],
  ['330111', 4], ['330112', 3], ['330113', 3], ['330114', 2], ['330122', 2], ['330127', 2], ['330182', 2],
  ['330203', 2], ['330302', 2], ['330402', 2], ['330602', 2], ['330702', 1], ['340104', 1], ['360102', 1],
  ['320106', 1], ['410105', 1], ['130102', 0.5], ['150102', 0.5], ['450103', 0.5],
]);

/** Mobile number prefixes of the three carriers (13x/15x/18x). */
export const PHONE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
];
