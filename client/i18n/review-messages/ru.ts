/** Russian messages of the review page (same keys as en.ts). */
import type { ReviewMessageKey } from './en.ts';

export const ru: Record<ReviewMessageKey, string> = {
  'app.title': 'Заседание по аттестации',
  'language.label': 'Язык',
  'language.kk': 'Қазақша',
  'language.ru': 'Русский',
  'language.en': 'English',

  'role.attestee': 'Аттестуемый',
  'role.chair': 'Председатель комиссии',
  'role.expert': 'Эксперт комиссии',
  'role.room-device': 'Устройство в аудитории',

  'join.heading': 'Вход на заседание',
  'join.loading': 'Проверяем ссылку из приглашения…',
  'join.subject': 'Заседание: {subject}',
  'join.you': 'Вы входите как {name}, {role}.',
  'join.continue': 'Перейти к проверке оборудования',
  'join.problem.no-token':
    'В ссылке нет ключа доступа. Откройте ссылку из приглашения ещё раз.',
  'join.problem.invalid':
    'Ссылка недействительна: возможно, она скопирована не полностью или относится к другому заседанию. Откройте ссылку из приглашения ещё раз или попросите новую у того, кто её прислал.',
  'join.problem.expired':
    'Срок действия ссылки истёк. Попросите новую у того, кто прислал приглашение.',
  'join.problem.ended': 'Это заседание уже завершено, ссылка больше его не открывает.',
  'join.problem.cancelled': 'Это заседание отменено.',
  'join.problem.unreachable':
    'Не удаётся связаться с сервером. Проверьте подключение к интернету и попробуйте ещё раз.',
  'join.problem.other':
    'Сейчас заседание открыть не удаётся (код {code}). Попробуйте ещё раз через несколько минут или сообщите тому, кто прислал приглашение.',
  'join.retry': 'Попробовать ещё раз',

  'preflight.heading': 'Проверка оборудования',
  'preflight.media': 'Камера и микрофон',
  'preflight.mediaWaiting': 'Запрашиваем доступ к камере и микрофону…',
  'preflight.mediaOk': 'Камера и микрофон работают.',
  'preflight.mediaFailed': 'Камера или микрофон недоступны ({reason}).',
  'preflight.mediaDenied':
    'Браузеру не разрешено использовать камеру и микрофон. Разрешите доступ (значок камеры в адресной строке) и обновите страницу.',
  'preflight.mediaMissing':
    'Камера или микрофон не найдены. Подключите их и обновите страницу.',
  'preflight.mediaBusy':
    'Камера или микрофон заняты другой программой. Закройте её и обновите страницу.',
  'preflight.level': 'Уровень микрофона',
  'preflight.connectivity': 'Связь с сервером',
  'preflight.connecting': 'Подключение…',
  'preflight.connected': 'Подключено. Задержка туда и обратно {ms} мс.',
  'preflight.connectFailed':
    'Не удаётся связаться с сервером. Проверьте подключение к интернету; страница продолжает попытки.',
  'preflight.consent':
    'Я согласен(на) на запись заседания (видео, звук и показ экрана) и её хранение в архиве аттестации не менее одного года.',
  'preflight.consentGiven': 'Вы дали согласие на запись.',
  'preflight.join': 'Войти на заседание',

  'lobby.heading': 'Зал ожидания',
  'lobby.waiting': 'Пожалуйста, подождите: председатель комиссии впустит вас.',

  'room.recording': 'Идёт запись',
  'room.notRecording': 'Запись ещё не идёт',
  'room.recordingDegraded': 'Сбой записи: комиссия уведомлена',
  'room.timeLeft': 'Осталось: {time}',
  'room.notStarted': 'Заседание ещё не началось',
  'room.you': '{name} (вы)',
  'room.participant': '{name}, {role}',
  'room.screenOf': 'Экран: {name}',
  'room.muteMic': 'Выключить микрофон',
  'room.unmuteMic': 'Включить микрофон',
  'room.cameraOff': 'Выключить камеру',
  'room.cameraOn': 'Включить камеру',
  'room.shareScreen': 'Показать экран',
  'room.stopShare': 'Остановить показ',
  'room.warning': 'Осталось: {time}. Заседание завершится автоматически.',
  'room.disconnected': 'Связь потеряна — ждём переподключения',

  'chair.heading': 'Управление заседанием',
  'chair.lobby': 'Зал ожидания',
  'chair.lobbyEmpty': 'Никто не ожидает.',
  'chair.lobbyDisconnected':
    'Связь потеряна: если впустить, при возвращении сразу войдёт в заседание',
  'chair.admit': 'Впустить',
  'chair.refuse': 'Отклонить',
  'chair.mute': 'Выключить звук',
  'chair.remove': 'Удалить',
  'chair.start': 'Начать заседание',
  'chair.end': 'Завершить заседание',
  'chair.endConfirm': 'Завершить заседание для всех участников?',
  'chair.notReady':
    'Начать можно, когда аттестуемый на месте и записываются все дорожки ({writing} из {expected}).',
  'chair.ready': 'Все на месте, все дорожки записываются.',

  'notice.muted': 'Председатель комиссии выключил ваш микрофон.',
  'notice.reconnecting': 'Связь потеряна. Переподключение…',
  'notice.reconnected': 'Связь восстановлена.',
  'notice.mediaRestoring': 'Восстанавливаем передачу звука и видео…',
  'notice.mediaRestored': 'Звук и видео восстановлены.',
  'notice.recordingDegraded': 'Сбой записи; сервис восстанавливает её.',
  'notice.recordingRestored': 'Запись снова работает.',
  'notice.recordingFailed': 'Сбой записи одной из дорожек; комиссия уведомлена.',
  'notice.mediaUnavailable':
    'Медиасервер недоступен; подождите минуту и обновите страницу.',
  'notice.serverClosing': 'Сервис перезапускается; подождите и обновите страницу.',
  'notice.other': 'Сообщение сервиса: {code}',
  'notice.actionFailed': 'Действие не выполнено: {reason}',

  'end.heading': 'Заседание завершено',
  'end.reason.time-limit': 'Истекло отведённое время.',
  'end.reason.chair': 'Председатель комиссии завершил заседание.',
  'end.reason.shutdown': 'Сервис был остановлен.',
  'end.reason.cancelled': 'Заседание отменено.',
  'end.reason.ended': 'Заседание окончено.',
  'end.reason.removed': 'Председатель комиссии удалил вас с заседания.',
  'end.reason.refused': 'Председатель комиссии не впустил вас.',
  'end.reason.replaced': 'Вы вошли из другого окна, поэтому это окно закрыто.',
  'end.closeWindow': 'Это окно можно закрыть.',

  'error.generic': 'Что-то пошло не так ({code}).',
};
