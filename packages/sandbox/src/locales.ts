/** The hosted integration page's words, in the languages the sandbox has. */

export type Language = 'en' | 'pt_br' | 'es';

export interface Messages {
  /** The `lang` attribute. */
  htmlLang: string;
  title: string;
  intro(merchant: string, customer: string): string;
  sandboxNote: string;
  expiresAt(time: string): string;
  connectedHeading: string;
  noneConnected: string;
  availableHeading: string;
  accountLabel(network: string): string;
  accountPlaceholder: string;
  connect: string;
  disconnect: string;
  status: Record<'active' | 'expired' | 'revoked', string>;
  connectedNotice(network: string): string;
  disconnectedNotice(network: string): string;
  finish(merchant: string): string;
  unknownNetwork: string;
  accountTooLong(max: number): string;
  /** Said when the account name is left empty. */
  accountRequired: string;
  alreadyGone: string;
  expiredTitle: string;
  expiredBody(merchant: string): string;
  unknownTitle: string;
  unknownBody: string;
  doneTitle: string;
  doneBody: string;
}

const en: Messages = {
  htmlLang: 'en',
  title: 'Connect your accounts',
  intro: (merchant, customer) => `${merchant} asks ${customer} to connect the accounts it will report on.`,
  sandboxNote: 'Sandbox: nothing is really connected. Type any account name.',
  expiresAt: (time) => `This page works until ${time} (UTC).`,
  connectedHeading: 'Connected accounts',
  noneConnected: 'No account connected yet.',
  availableHeading: 'Connect a network',
  accountLabel: (network) => `${network} account name`,
  accountPlaceholder: 'Account name',
  connect: 'Connect',
  disconnect: 'Disconnect',
  status: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
  connectedNotice: (network) => `${network} connected.`,
  disconnectedNotice: (network) => `${network} disconnected.`,
  finish: (merchant) => `Done: back to ${merchant}`,
  unknownNetwork: 'Choose one of the networks listed.',
  accountTooLong: (max) => `The account name can have at most ${max} characters.`,
  accountRequired: 'Type the name of the account to connect.',
  alreadyGone: 'That account is not connected any more.',
  expiredTitle: 'This link has expired',
  expiredBody: (merchant) => `Integration links work for 5 minutes. Ask ${merchant} for a new one.`,
  unknownTitle: 'This link is not valid',
  unknownBody: 'Check the address, or ask for a new link.',
  doneTitle: 'All set',
  doneBody: 'You can close this window.',
};

const ptBr: Messages = {
  htmlLang: 'pt-BR',
  title: 'Conecte suas contas',
  intro: (merchant, customer) => `${merchant} pede que ${customer} conecte as contas que farão parte dos relatórios.`,
  sandboxNote: 'Sandbox: nenhuma conta é conectada de verdade. Digite qualquer nome de conta.',
  expiresAt: (time) => `Esta página funciona até ${time} (UTC).`,
  connectedHeading: 'Contas conectadas',
  noneConnected: 'Nenhuma conta conectada ainda.',
  availableHeading: 'Conectar uma rede',
  accountLabel: (network) => `Nome da conta de ${network}`,
  accountPlaceholder: 'Nome da conta',
  connect: 'Conectar',
  disconnect: 'Desconectar',
  status: { active: 'Ativa', expired: 'Expirada', revoked: 'Revogada' },
  connectedNotice: (network) => `${network} conectado.`,
  disconnectedNotice: (network) => `${network} desconectado.`,
  finish: (merchant) => `Concluir e voltar para ${merchant}`,
  unknownNetwork: 'Escolha uma das redes da lista.',
  accountTooLong: (max) => `O nome da conta pode ter no máximo ${max} caracteres.`,
  accountRequired: 'Digite o nome da conta a conectar.',
  alreadyGone: 'Essa conta não está mais conectada.',
  expiredTitle: 'Este link expirou',
  expiredBody: (merchant) => `Os links de integração funcionam por 5 minutos. Peça um novo a ${merchant}.`,
  unknownTitle: 'Este link não é válido',
  unknownBody: 'Confira o endereço ou peça um novo link.',
  doneTitle: 'Tudo pronto',
  doneBody: 'Você já pode fechar esta janela.',
};

const es: Messages = {
  htmlLang: 'es',
  title: 'Conecta tus cuentas',
  intro: (merchant, customer) => `${merchant} pide a ${customer} que conecte las cuentas de sus informes.`,
  sandboxNote: 'Sandbox: ninguna cuenta se conecta de verdad. Escribe cualquier nombre de cuenta.',
  expiresAt: (time) => `Esta página funciona hasta las ${time} (UTC).`,
  connectedHeading: 'Cuentas conectadas',
  noneConnected: 'Todavía no hay ninguna cuenta conectada.',
  availableHeading: 'Conectar una red',
  accountLabel: (network) => `Nombre de la cuenta de ${network}`,
  accountPlaceholder: 'Nombre de la cuenta',
  connect: 'Conectar',
  disconnect: 'Desconectar',
  status: { active: 'Activa', expired: 'Caducada', revoked: 'Revocada' },
  connectedNotice: (network) => `${network} conectado.`,
  disconnectedNotice: (network) => `${network} desconectado.`,
  finish: (merchant) => `Listo: volver a ${merchant}`,
  unknownNetwork: 'Elige una de las redes de la lista.',
  accountTooLong: (max) => `El nombre de la cuenta puede tener como máximo ${max} caracteres.`,
  accountRequired: 'Escribe el nombre de la cuenta que quieres conectar.',
  alreadyGone: 'Esa cuenta ya no está conectada.',
  expiredTitle: 'Este enlace ha caducado',
  expiredBody: (merchant) => `Los enlaces de integración funcionan durante 5 minutos. Pide uno nuevo a ${merchant}.`,
  unknownTitle: 'Este enlace no es válido',
  unknownBody: 'Comprueba la dirección o pide un enlace nuevo.',
  doneTitle: 'Todo listo',
  doneBody: 'Ya puedes cerrar esta ventana.',
};

const MESSAGES: Record<Language, Messages> = { en, pt_br: ptBr, es };

/**
 * The language for a session's `locale` (`pt_br`, `pt`, `en_us`, ...) when the sandbox has it, else
 * the browser's first `Accept-Language` it has, else English.
 */
export function languageFor(locale: string | undefined, acceptLanguage?: string | undefined): Language {
  const pick = (tag: string): Language | undefined => {
    const normalized = tag.trim().toLowerCase().replace('-', '_');
    if (normalized.startsWith('pt')) return 'pt_br';
    if (normalized.startsWith('es')) return 'es';
    if (normalized.startsWith('en')) return 'en';
    return undefined;
  };
  const fromLocale = locale ? pick(locale) : undefined;
  if (fromLocale) return fromLocale;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const language = pick(part.split(';')[0] ?? '');
    if (language) return language;
  }
  return 'en';
}

export function messagesFor(language: Language): Messages {
  return MESSAGES[language];
}
