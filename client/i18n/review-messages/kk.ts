/** Kazakh messages of the review page (same keys as en.ts). */
import type { ReviewMessageKey } from './en.ts';

export const kk: Record<ReviewMessageKey, string> = {
  'app.title': 'Аттестация отырысы',
  'language.label': 'Тіл',
  'language.kk': 'Қазақша',
  'language.ru': 'Русский',
  'language.en': 'English',

  'role.attestee': 'Аттестатталушы',
  'role.chair': 'Комиссия төрағасы',
  'role.expert': 'Комиссия сарапшысы',
  'role.room-device': 'Аудиториядағы құрылғы',

  'join.heading': 'Отырысқа кіру',
  'join.loading': 'Шақырудағы сілтемені тексеріп жатырмыз…',
  'join.subject': 'Отырыс: {subject}',
  'join.you': 'Сіз {name} ретінде кіресіз, {role}.',
  'join.continue': 'Құрылғыларды тексеруге өту',
  'join.problem.no-token': 'Сілтемеде кіру кілті жоқ. Шақырудағы сілтемені қайта ашыңыз.',
  'join.problem.invalid':
    'Сілтеме жарамсыз: ол толық көшірілмеген немесе басқа отырысқа арналған болуы мүмкін. Шақырудағы сілтемені қайта ашыңыз немесе оны жіберген адамнан жаңасын сұраңыз.',
  'join.problem.expired':
    'Сілтеменің мерзімі өтіп кетті. Шақыруды жіберген адамнан жаңасын сұраңыз.',
  'join.problem.ended': 'Бұл отырыс аяқталды, сілтеме оны енді ашпайды.',
  'join.problem.cancelled': 'Бұл отырыс болдырылмады.',
  'join.problem.unreachable':
    'Серверге қосылу мүмкін болмады. Интернет байланысын тексеріп, қайталап көріңіз.',
  'join.problem.other':
    'Қазір отырысты ашу мүмкін емес (код {code}). Бірнеше минуттан кейін қайталап көріңіз немесе шақыруды жіберген адамға хабарлаңыз.',
  'join.retry': 'Қайталап көру',

  'preflight.heading': 'Құрылғыларды тексеру',
  'preflight.media': 'Камера және микрофон',
  'preflight.mediaWaiting': 'Камера мен микрофонға рұқсат сұрап жатырмыз…',
  'preflight.mediaOk': 'Камера мен микрофон жұмыс істейді.',
  'preflight.mediaFailed': 'Камера немесе микрофон қолжетімсіз ({reason}).',
  'preflight.mediaDenied':
    'Браузерге камера мен микрофонды пайдалануға рұқсат берілмеген. Рұқсат беріңіз (мекенжай жолындағы камера белгісі) және бетті жаңартыңыз.',
  'preflight.mediaMissing':
    'Камера немесе микрофон табылмады. Оларды қосып, бетті жаңартыңыз.',
  'preflight.mediaBusy':
    'Камераны немесе микрофонды басқа бағдарлама пайдаланып тұр. Оны жауып, бетті жаңартыңыз.',
  'preflight.level': 'Микрофон деңгейі',
  'preflight.connectivity': 'Сервермен байланыс',
  'preflight.connecting': 'Қосылып жатыр…',
  'preflight.connected': 'Қосылды. Барып-қайту уақыты {ms} мс.',
  'preflight.connectFailed':
    'Серверге қосылу мүмкін болмады. Интернет байланысын тексеріңіз; бет қосылуға тырысып жатыр.',
  'preflight.consent':
    'Отырыстың жазылуына (бейне, дыбыс және экран көрсету) және жазбаның аттестация мұрағатында кемінде бір жыл сақталуына келісемін.',
  'preflight.consentGiven': 'Сіз жазуға келісім бердіңіз.',
  'preflight.join': 'Отырысқа кіру',

  'lobby.heading': 'Күту залы',
  'lobby.waiting': 'Күте тұрыңыз: комиссия төрағасы сізді кіргізеді.',

  'room.recording': 'Жазылып жатыр',
  'room.notRecording': 'Жазу әлі басталған жоқ',
  'room.recordingDegraded': 'Жазуда ақау бар: комиссияға хабарланды',
  'room.timeLeft': 'Қалған уақыт: {time}',
  'room.notStarted': 'Отырыс әлі басталған жоқ',
  'room.you': '{name} (сіз)',
  'room.participant': '{name}, {role}',
  'room.screenOf': '{name} экраны',
  'room.muteMic': 'Микрофонды өшіру',
  'room.unmuteMic': 'Микрофонды қосу',
  'room.cameraOff': 'Камераны өшіру',
  'room.cameraOn': 'Камераны қосу',
  'room.shareScreen': 'Экранды көрсету',
  'room.stopShare': 'Көрсетуді тоқтату',
  'room.warning': 'Қалған уақыт: {time}. Отырыс автоматты түрде аяқталады.',
  'room.disconnected': 'Байланыс үзілді — қайта қосылуын күтіп отырмыз',

  'chair.heading': 'Отырысты басқару',
  'chair.lobby': 'Күту залы',
  'chair.lobbyEmpty': 'Ешкім күтіп тұрған жоқ.',
  'chair.lobbyDisconnected':
    'Байланыс үзілді: кіргізсеңіз, оралғанда бірден отырысқа кіреді',
  'chair.admit': 'Кіргізу',
  'chair.refuse': 'Бас тарту',
  'chair.mute': 'Дыбысын өшіру',
  'chair.remove': 'Шығару',
  'chair.start': 'Отырысты бастау',
  'chair.end': 'Отырысты қазір аяқтау',
  'chair.endConfirm': 'Отырысты барлық қатысушылар үшін аяқтау керек пе?',
  'chair.notReady':
    'Аттестатталушы қатысып, барлық жолдар жазылғанда бастауға болады ({expected} ішінен {writing}).',
  'chair.ready': 'Барлығы орнында, барлық жолдар жазылып жатыр.',

  'notice.muted': 'Комиссия төрағасы микрофоныңызды өшірді.',
  'notice.reconnecting': 'Байланыс үзілді. Қайта қосылып жатыр…',
  'notice.reconnected': 'Байланыс қалпына келді.',
  'notice.mediaRestoring': 'Дыбыс пен бейне байланысын қалпына келтіріп жатырмыз…',
  'notice.mediaRestored': 'Дыбыс пен бейне қалпына келді.',
  'notice.recordingDegraded': 'Жазуда ақау бар; сервис оны қалпына келтіріп жатыр.',
  'notice.recordingRestored': 'Жазу қайта жұмыс істеп тұр.',
  'notice.recordingFailed': 'Бір жолды жазу сәтсіз аяқталды; комиссияға хабарланды.',
  'notice.mediaUnavailable':
    'Медиасервер қолжетімсіз; бір минут күтіп, бетті жаңартыңыз.',
  'notice.serverClosing':
    'Сервис қайта іске қосылып жатыр; күте тұрып, бетті жаңартыңыз.',
  'notice.other': 'Сервис хабары: {code}',
  'notice.actionFailed': 'Әрекет орындалмады: {reason}',

  'end.heading': 'Отырыс аяқталды',
  'end.reason.time-limit': 'Бөлінген уақыт бітті.',
  'end.reason.chair': 'Комиссия төрағасы отырысты аяқтады.',
  'end.reason.shutdown': 'Сервис тоқтатылды.',
  'end.reason.cancelled': 'Отырыс болдырылмады.',
  'end.reason.ended': 'Отырыс аяқталды.',
  'end.reason.removed': 'Комиссия төрағасы сізді отырыстан шығарды.',
  'end.reason.refused': 'Комиссия төрағасы сізді кіргізбеді.',
  'end.reason.replaced': 'Сіз басқа терезеден кірдіңіз, сондықтан бұл терезе жабылды.',
  'end.closeWindow': 'Бұл терезені жабуға болады.',

  'error.generic': 'Бірдеңе дұрыс болмады ({code}).',
};
